// Entry point: the agent that runs on a device.
//   npm run agent -- --gateway ws://HOST:PORT --device-id ID --token TOKEN [--data-dir DIR] [--ca FILE]
//                    [--allow-command REGEX ...] [--allow-file-dir DIR ...]
// Flags may also come from FLOTILLA_GATEWAY, FLOTILLA_DEVICE_ID, FLOTILLA_AGENT_TOKEN, FLOTILLA_AGENT_DATA_DIR,
// FLOTILLA_CA_FILE, FLOTILLA_ALLOW_COMMANDS (one pattern per line), FLOTILLA_ALLOW_FILE_DIRS (separated like PATH).
import { parseArgs } from 'node:util';
import { runAgent } from '../agent/agent';
import { loadAgentConfig } from '../config';
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
      'data-dir': { type: 'string' },
      ca: { type: 'string' },
      'allow-command': { type: 'string', multiple: true },
      'allow-file-dir': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const config = loadAgentConfig({
    gateway: values.gateway,
    deviceId: values['device-id'],
    token: values.token,
    dataDir: values['data-dir'],
    ca: values.ca,
    allowCommand: values['allow-command'],
    allowFileDir: values['allow-file-dir'],
  });
  const logger = createLogger('agent', config.logLevel).child({ deviceId: config.deviceId });
  const agent = runAgent(config, logger);
  void agent.ready.then(() => logger.info({ gateways: config.gatewayUrls }, 'ready'));

  stopOnSignal(logger, 'stopping: letting running commands finish', () => agent.stop(STOP_GRACE_MS));
}

runMain(main);
