// Entry point: the agent that runs on a device.
//   flotilla-agent --gateway ws://HOST:PORT --device-id ID --token-file FILE [--data-dir DIR] [--ca FILE]
//                  [--allow-command REGEX ...] [--allow-file-dir DIR ...] [--hide-env NAME,...] [--clean-env]
// Flags and their FLOTILLA_* variables are described in docs/agents.md.
import { parseArgs } from 'node:util';
import { runAgent } from '../agent/agent';
import { loadAgentSettings } from '../agent/settings';
import { createLogger } from '../logger';
import { runMain, stopOnSignal } from './lifecycle';

/** On SIGTERM/SIGINT, running commands get this long to finish before they are killed (and reported cancelled). */
const STOP_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      gateway: { type: 'string' },
      'device-id': { type: 'string' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      'data-dir': { type: 'string' },
      ca: { type: 'string' },
      'allow-command': { type: 'string', multiple: true },
      'allow-file-dir': { type: 'string', multiple: true },
      'hide-env': { type: 'string', multiple: true },
      'clean-env': { type: 'boolean' },
    },
    strict: true,
  });
  const { config, childEnv, warnings } = loadAgentSettings(
    {
      gateway: values.gateway,
      deviceId: values['device-id'],
      token: values.token,
      tokenFile: values['token-file'],
      dataDir: values['data-dir'],
      ca: values.ca,
      allowCommand: values['allow-command'],
      allowFileDir: values['allow-file-dir'],
      hideEnv: values['hide-env'],
      cleanEnv: values['clean-env'],
    },
    process.env,
  );
  const logger = createLogger('agent', config.logLevel).child({ deviceId: config.deviceId });
  for (const w of warnings) logger.warn(w);
  const agent = runAgent(config, logger, { childEnv });
  void agent.ready.then(() => logger.info({ gateways: config.gatewayUrls }, 'ready'));

  stopOnSignal(logger, 'stopping: letting running commands finish', () => agent.stop(STOP_GRACE_MS));
}

runMain(main);
