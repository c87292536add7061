// Entry point: the Temporal worker for workflows and database activities.
import { NativeConnection } from '@temporalio/worker';
import { loadServerConfig } from '../config';
import { openDatabase } from '../db/client';
import { createLogger } from '../logger';
import { installTemporalRuntime } from '../temporal/runtime';
import { startWorker } from '../worker';

async function main(): Promise<void> {
  const config = loadServerConfig();
  const logger = createLogger('worker', config.logLevel);
  installTemporalRuntime();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required for the standalone worker (embedded mode: npm start)');
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const connection = await NativeConnection.connect({ address: config.temporal.address ?? '127.0.0.1:7233' });
  const running = await startWorker({ connection, namespace: config.temporal.namespace, db: db.db, heartbeatMs: config.heartbeatMs, logger });
  logger.info({ taskQueue: running.worker.options.taskQueue }, 'ready');
  const shutdown = (): void => {
    logger.info('shutting down: finishing in-flight tasks');
    void running.stop().then(async () => {
      await connection.close();
      await db.close();
      process.exit(0);
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  await running.done;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
