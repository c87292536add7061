// Entry point: the agent gateway (WebSocket server plus the Temporal worker for deliverToAgent).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startGateway } from '../agent-gateway';
import { loadServerConfig, temporalAddressOf } from '../config';
import { openDatabase } from '../db/client';
import { createLogger } from '../logger';
import { runMain, stopOnSignal } from './lifecycle';
import { installTemporalRuntime } from '../temporal/runtime';

async function main(): Promise<void> {
  const config = loadServerConfig();
  const logger = createLogger('gateway', config.logLevel);
  installTemporalRuntime();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required for the standalone gateway (embedded mode: npm start)');
  const address = temporalAddressOf(config);
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const workerConnection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const gateway = await startGateway({ db, temporal: { connection: workerConnection, client }, config, logger });
  logger.info({ url: gateway.url, gatewayId: gateway.gatewayId }, 'ready');

  stopOnSignal(logger, 'shutting down', async () => {
    await gateway.stop();
    await workerConnection.close();
    await clientConnection.close();
    await db.close();
  });
}

runMain(main);
