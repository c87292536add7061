// Entry point: the whole system in one process on embedded defaults (npm start).
import path from 'node:path';
import { loadServerConfig } from '../config';
import { createLogger } from '../logger';
import { ADMIN_TOKEN_FILE } from '../config';
import { runMain, stopOnSignal } from './lifecycle';
import { startStack } from './stack';

async function main(): Promise<void> {
  const config = loadServerConfig();
  const logger = createLogger('flotilla', config.logLevel);
  const stack = await startStack({ config, logger });
  const tokenHint = config.adminToken ? 'FLOTILLA_ADMIN_TOKEN' : path.join(config.dataDir, ADMIN_TOKEN_FILE);
  logger.info(
    { apiUrl: stack.apiUrl, temporalUi: stack.uiUrl, gatewayUrl: stack.gatewayUrl, demoDevices: stack.demoDeviceIds.length },
    'ready',
  );
  process.stdout.write(
    [
      '',
      'Flotilla is up.',
      `  Console      ${stack.apiUrl}/   (sign in with the admin token)`,
      `  API          ${stack.apiUrl}/v1   (OpenAPI: ${stack.apiUrl}/v1/openapi.json)`,
      `  Temporal UI  ${stack.uiUrl ?? `(external Temporal at ${stack.temporalAddress})`}`,
      `  Gateway      ${stack.gatewayUrl}`,
      `  Metrics      ${stack.metricsUrls.flotilla}   (Temporal SDK: ${stack.metricsUrls.sdk ?? 'off'}; Temporal: ${stack.metricsUrls.temporal ?? 'external'})`,
      `  Admin token  in ${tokenHint}`,
      `  Demo agents  ${stack.demoDeviceIds.length} (group "demo")`,
      '',
      'Try:  npm run flotilla -- run --group demo -- uptime',
      '',
    ].join('\n'),
  );
  stopOnSignal(logger, 'shutting down', () => stack.stop());
}

runMain(main);
