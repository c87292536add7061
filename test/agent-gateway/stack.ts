// Gateways in-process on one test database and a Temporal namespace of the file's own, plus the API
// app on the same database: for tests where the API and gateways talk through PostgreSQL NOTIFY.
// Why a harness of its own: real gateways in-process (and the API app beside them) with no workflow
// worker, so a test drives deliverToAgent itself and sees the gateway's sessions and counters.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import { createApp } from '../../src/api';
import { startGateway, type Gateway } from '../../src/agent-gateway';
import type { ServerConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { testConfig } from '../helpers/config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestNamespace } from '../helpers/namespace';

export interface GatewayStack {
  db: TestDatabase;
  /** A client of the stack's own namespace; no worker polls it, so workflows it starts stay pending. */
  client: Client;
  config(env?: Record<string, string>): ServerConfig;
  startGateway(env?: Record<string, string>): Promise<Gateway>;
  api(env?: Record<string, string>): ReturnType<typeof createApp>;
  close(): Promise<void>;
}

export async function startGatewayStack(): Promise<GatewayStack> {
  installTemporalRuntime();
  const address = inject('temporalAddress');
  const db = await createTestDatabase();
  const namespace = await createTestNamespace(address, 'gw');
  const workerConnection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace });
  const logger = createLogger('gateway-test', process.env.TEST_VERBOSE ? 'info' : 'silent');
  const gateways: Gateway[] = [];
  const config = (env: Record<string, string> = {}): ServerConfig =>
    testConfig({
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      FLOTILLA_GATEWAY_ID: `gw-${randomBytes(4).toString('hex')}`,
      FLOTILLA_HEARTBEAT_MS: '1000',
      FLOTILLA_GATEWAY_ACTIVITY_SLOTS: '10',
      ...env,
    });
  return {
    db,
    client,
    config,
    async startGateway(env) {
      const gateway = await startGateway({ db: db.handle, temporal: { connection: workerConnection, client }, config: config(env), logger });
      gateways.push(gateway);
      return gateway;
    },
    api: (env) => createApp({ db: db.handle, temporal: client, config: config(env), logger }),
    async close() {
      await Promise.all(gateways.map((g) => g.stop()));
      await workerConnection.close();
      await clientConnection.close();
      await db.drop();
    },
  };
}
