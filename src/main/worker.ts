// Entry point: the Temporal worker for workflows and database activities.
import { NativeConnection } from '@temporalio/worker';
import { batchLimitsOf } from '../batches/create-batch';
import { loadServerConfig, temporalAddressOf } from '../config';
import { openDatabase } from '../db/client';
import { createLogger } from '../logger';
import { createMetrics, startMetricsServer, watchDatabasePool } from '../metrics';
import { installTemporalRuntime, sdkMetricsAddress } from '../temporal/runtime';
import { startWorker, workerDbPoolSize } from '../worker';
import { runMain, stopOnSignal } from './lifecycle';

async function main(): Promise<void> {
  const config = loadServerConfig();
  const logger = createLogger('worker', config.logLevel);
  installTemporalRuntime({ metricsBindAddress: sdkMetricsAddress(config) });
  const metrics = createMetrics();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required for the standalone worker (embedded mode: npm start)');
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: workerDbPoolSize(config.maxWindow) });
  watchDatabasePool(metrics, db);
  const connection = await NativeConnection.connect({ address: temporalAddressOf(config) });
  const running = await startWorker({ connection, namespace: config.temporal.namespace, db: db.orm, heartbeatMs: config.heartbeatMs, batchLimits: batchLimitsOf(config), maxWindow: config.maxWindow, logger, metrics });
  const metricsServer = config.workerMetricsPort === 0 ? undefined : await startMetricsServer({ metrics, host: config.bindHost, port: config.workerMetricsPort, logger });
  logger.info({ taskQueue: running.worker.options.taskQueue, metrics: metricsServer?.url }, 'ready');
  stopOnSignal(logger, 'shutting down: finishing in-flight tasks', async () => {
    await running.stop();
    await metricsServer?.stop();
    await connection.close();
    await db.close();
  });
  await running.done;
}

runMain(main);
