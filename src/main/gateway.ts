// Entry point: the agent gateway (WebSocket server plus the Temporal worker for deliverToAgent).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startGateway } from '../agent-gateway';
import { loadServerConfig, temporalAddressOf } from '../config';
import { openDatabase } from '../db/client';
import { createLogger } from '../logger';
import { runMain, stopOnSignal } from './lifecycle';
import { createMetrics, startMetricsServer, watchDatabasePool } from '../metrics';
import { installTemporalRuntime, sdkMetricsAddress } from '../temporal/runtime';

async function main(): Promise<void> {
  const config = loadServerConfig();
  const logger = createLogger('gateway', config.logLevel);
  installTemporalRuntime({ metricsBindAddress: sdkMetricsAddress(config) });
  const metrics = createMetrics();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required for the standalone gateway (embedded mode: npm start)');
  const address = temporalAddressOf(config);
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  watchDatabasePool(metrics, db);
  const workerConnection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const gateway = await startGateway({ db, temporal: { connection: workerConnection, client }, config, logger, metrics });
  const metricsServer = config.gatewayMetricsPort === 0 ? undefined : await startMetricsServer({ metrics, host: config.bindHost, port: config.gatewayMetricsPort, logger });
  logger.info({ url: gateway.url, gatewayId: gateway.gatewayId, metrics: metricsServer?.url }, 'ready');

  stopOnSignal(logger, 'shutting down', async () => {
    await gateway.stop();
    await metricsServer?.stop();
    await workerConnection.close();
    await clientConnection.close();
    await db.close();
  });
}

runMain(main);
