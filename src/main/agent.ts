// Entry point: the agent that runs on a device.
//   flotilla-agent [--gateway ws://HOST:PORT --device-id ID --token-file FILE] [--data-dir DIR] [--ca FILE]
//                  [--allow-command REGEX ...] [--allow-file-dir DIR ...] [--hide-env NAME,...] [--clean-env]
//                  [--enroll-key KEY --url https://API [--name NAME] [--tags a,b]]
//   flotilla-agent enroll --url https://API --key KEY [--name NAME] [--tags a,b] [--data-dir DIR]
//   flotilla-agent --version
// Flags and their FLOTILLA_* variables are described in docs/agents.md.
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { runAgent } from '../agent/agent';
import { enroll } from '../agent/enroll';
import { loadAgentSettings, loadEnrollSettings, type EnrollSettings } from '../agent/settings';
import { createLogger, type Logger } from '../logger';
import { runMain, stopOnSignal } from './lifecycle';

/** On SIGTERM/SIGINT, running commands get this long to finish before they are killed (and reported cancelled). */
const STOP_GRACE_MS = 10_000;

async function enrollHere(settings: EnrollSettings, logger: Logger): Promise<void> {
  const enrolled = await enroll(settings, logger);
  logger.info(
    { deviceId: enrolled.deviceId, name: enrolled.name, reenrolled: enrolled.reenrolled, dataDir: settings.dataDir },
    enrolled.reenrolled ? 'enrolled again: same device, new token' : 'enrolled',
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
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
      'enroll-key': { type: 'string' },
      key: { type: 'string' },
      url: { type: 'string' },
      name: { type: 'string' },
      tags: { type: 'string', multiple: true },
      'machine-id-file': { type: 'string' },
      version: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.version) {
    console.log(version);
    return;
  }
  const [command, ...extra] = positionals;
  if ((command !== undefined && command !== 'enroll') || extra.length > 0) throw new Error(`unknown command: ${positionals.join(' ')} (the only one is "enroll")`);
  const enrollFlags = { url: values.url, key: values.key ?? values['enroll-key'], name: values.name, tags: values.tags, dataDir: values['data-dir'], ca: values.ca, machineIdFile: values['machine-id-file'] };

  if (command === 'enroll') {
    const settings = loadEnrollSettings(enrollFlags, process.env);
    if (!settings) throw new Error('enroll needs a key: --key KEY (or FLOTILLA_ENROLL_KEY)');
    await enrollHere(settings, createLogger('agent', 'info'));
    return;
  }
  // First start with an enrollment key: enroll, then run as the enrolled device.
  const enrollSettings = loadEnrollSettings(enrollFlags, process.env);
  if (enrollSettings && enrollSettings.enrolledDeviceId === undefined) await enrollHere(enrollSettings, createLogger('agent', 'info'));

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
