// Entry point: the HTTP API on its own. Needs PostgreSQL (embedded PGlite lives only in the
// all-in-one) and an admin token; connects to Temporal at TEMPORAL_ADDRESS (default in src/config.ts).
import { Client, Connection } from '@temporalio/client';
import { startApi } from '../api';
import { startOutputPruner } from '../jobs/output-pruner';
import { startReconciler } from '../jobs/reconciler';
import { loadServerConfig, temporalAddressOf } from '../config';
import { openDatabase } from '../db/client';
import { createLogger } from '../logger';
import { createMetrics, watchDatabasePool } from '../metrics';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { runMain, stopOnSignal } from './lifecycle';

async function main(): Promise<void> {
  const config = loadServerConfig();
  const logger = createLogger('api', config.logLevel);
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required for the standalone API (embedded mode: npm start)');
  if (!config.adminToken) throw new Error('FLOTILLA_ADMIN_TOKEN is required for the standalone API');
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const metrics = createMetrics();
  watchDatabasePool(metrics, db);
  const connection = await Connection.connect({ address: temporalAddressOf(config) });
  // The API starts batches, so it makes sure the namespace knows every search attribute they carry.
  const added = await ensureSearchAttributes(connection, config.temporal.namespace);
  if (added.length > 0) logger.info({ added }, 'registered search attributes');
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const api = await startApi({ db, temporal, config, logger, metrics, port: config.apiPort, host: config.bindHost });
  const reconciler = startReconciler({ db: db.orm, client: temporal, logger, metrics });
  const pruner = startOutputPruner({ db: db.orm, logger, retentionSec: config.outputRetentionSec });
  logger.info({ url: api.url }, 'ready');
  stopOnSignal(logger, 'shutting down', async () => {
    await reconciler.stop();
    await pruner.stop();
    await api.stop();
    await connection.close();
    await db.close();
  });
}

runMain(main);
