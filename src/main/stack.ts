// The whole system in one process: Temporal (the dev server when no TEMPORAL_ADDRESS is given), the
// database (PGlite when no DATABASE_URL), the workflow worker, one gateway, the API and demo agents.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startGateway } from '../agent-gateway';
import { InProcessGateways } from '../agent-gateway/in-process';
import { startApi } from '../api';
import { startOutputPruner } from '../jobs/output-pruner';
import { startReconciler } from '../jobs/reconciler';
import { batchLimitsOf } from '../batches/create-batch';
import type { ServerConfig } from '../config';
import { openDatabase, type DatabaseHandle } from '../db/client';
import type { Logger } from '../logger';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { createMetrics, watchDatabasePool } from '../metrics';
import { installTemporalRuntime, sdkMetricsAddress } from '../temporal/runtime';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { startWorker, workerDbPoolSize } from '../worker';
import { startDemoAgents, type DemoAgents } from './demo-agents';
import { localAdminToken, localSecretKey } from './local-secrets';

export interface StackOptions {
  config: ServerConfig;
  logger: Logger;
}

export interface Stack {
  apiUrl: string;
  gatewayUrl: string;
  temporalAddress: string;
  uiUrl: string | undefined;
  /** Prometheus endpoints: Flotilla's (the API's /metrics), the Temporal SDK's, the dev server's. */
  metricsUrls: { flotilla: string; sdk: string | undefined; temporal: string | undefined };
  adminToken: string;
  db: DatabaseHandle;
  client: Client;
  demoDeviceIds: string[];
  stop(): Promise<void>;
}

export async function startStack({ config: given, logger }: StackOptions): Promise<Stack> {
  const config: ServerConfig = {
    ...given,
    adminToken: given.adminToken ?? localAdminToken(given.dataDir),
    secretKey: given.secretKey ?? localSecretKey(given.dataDir),
  };
  installTemporalRuntime({ metricsBindAddress: sdkMetricsAddress(config) });
  // One registry for every role of this process, served by the API's GET /metrics.
  const metrics = createMetrics();
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => logger.warn({ err }, 'error while stopping'));
  };
  try {
    let devServer: DevServer | undefined;
    let address = config.temporal.address;
    if (!address) {
      logger.info({ port: config.temporal.devPort }, 'starting the Temporal dev server');
      devServer = await startDevServer({
        cli: config.temporal.cli,
        ip: '127.0.0.1',
        port: config.temporal.devPort,
        uiPort: config.temporal.uiPort,
        metricsPort: config.temporal.devMetricsPort,
        dbFile: path.join(config.dataDir, 'temporal.sqlite'),
        namespace: config.temporal.namespace,
      });
      stops.push(() => devServer!.stop());
      address = devServer.address;
    }
    const clientConnection = await Connection.connect({ address });
    stops.push(() => clientConnection.close());
    const added = await ensureSearchAttributes(clientConnection, config.temporal.namespace);
    if (added.length > 0) logger.info({ added }, 'registered search attributes');
    const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
    const workerConnection = await NativeConnection.connect({ address });
    stops.push(() => workerConnection.close());

    // One pool for the worker, gateway and API of this process: sized for the worker, its largest user.
    const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: workerDbPoolSize(config.maxWindow) });
    stops.push(() => db.close());
    watchDatabasePool(metrics, db);

    // The worker hands commands to this process's gateway itself, without an activity task.
    const gateways = new InProcessGateways();
    const worker = await startWorker({
      gateways,
      connection: workerConnection,
      namespace: config.temporal.namespace,
      db: db.orm,
      heartbeatMs: config.heartbeatMs,
      batchLimits: batchLimitsOf(config),
      maxWindow: config.maxWindow,
      logger,
      metrics,
    });
    stops.push(() => worker.stop());
    const gateway = await startGateway({ db, temporal: { connection: workerConnection, client }, config, logger, metrics, inProcess: gateways });
    stops.push(() => gateway.stop());
    const api = await startApi({ db, temporal: client, config, logger, metrics, port: config.apiPort, host: config.bindHost });
    stops.push(() => api.stop());
    const reconciler = startReconciler({ db: db.orm, client, logger, metrics });
    stops.push(() => reconciler.stop());
    const pruner = startOutputPruner({ db: db.orm, logger, retentionSec: config.outputRetentionSec });
    stops.push(() => pruner.stop());

    let demo: DemoAgents | undefined;
    if (config.demoAgents > 0) {
      demo = await startDemoAgents({
        db: db.orm,
        count: config.demoAgents,
        owner: 'admin',
        gatewayUrl: gateway.url.replace('0.0.0.0', '127.0.0.1'),
        dataDir: config.dataDir,
        logger,
      });
      stops.push(() => demo!.stop());
    }
    return {
      apiUrl: api.url.replace('0.0.0.0', config.publicHost),
      gatewayUrl: gateway.url.replace('0.0.0.0', config.publicHost),
      temporalAddress: address,
      uiUrl: devServer?.uiUrl,
      metricsUrls: {
        flotilla: `${api.url.replace('0.0.0.0', config.publicHost)}/metrics`,
        sdk: config.sdkMetricsPort === 0 ? undefined : `http://${config.bindHost === '0.0.0.0' ? config.publicHost : config.bindHost}:${config.sdkMetricsPort}/metrics`,
        temporal: devServer?.metricsUrl,
      },
      adminToken: config.adminToken as string,
      db,
      client,
      demoDeviceIds: demo?.deviceIds ?? [],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
