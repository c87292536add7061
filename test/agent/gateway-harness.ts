// A real gateway (in process, on a database of the test's own and the suite's Temporal dev server) for
// tests that run real agent processes: deliver() hands an execution to a connected agent and waits for
// its result, as the device workflow's activity does.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { startGateway, type Gateway } from '../../src/agent-gateway';
import { loadServerConfig } from '../../src/config';
import { executions } from '../../src/db/schema';
import { createLogger } from '../../src/logger';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import type { DeviceOutcome } from '../../src/workflows/definitions';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

export interface GatewayHarness {
  db: TestDatabase;
  gateway: Gateway;
  secretKey: string;
  deliver(executionId: string, deviceId: string): Promise<DeviceOutcome>;
  execution(executionId: string): Promise<typeof executions.$inferSelect>;
  stop(): Promise<void>;
}

export async function startGatewayHarness(temporalAddress: string, env: Record<string, string> = {}): Promise<GatewayHarness> {
  installTemporalRuntime();
  const db = await createTestDatabase();
  const workerConnection = await NativeConnection.connect({ address: temporalAddress });
  const clientConnection = await Connection.connect({ address: temporalAddress });
  const secretKey = randomBytes(32).toString('hex');
  const config = loadServerConfig({
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporalAddress,
    FLOTILLA_BIND_HOST: '127.0.0.1',
    FLOTILLA_GATEWAY_PORT: '0',
    FLOTILLA_GATEWAY_ID: `gw-${randomBytes(4).toString('hex')}`,
    FLOTILLA_HEARTBEAT_MS: '500',
    FLOTILLA_SECRET_KEY: secretKey,
    FLOTILLA_GATEWAY_ACTIVITY_SLOTS: '10',
    ...env,
  });
  const logger = createLogger('gateway-test', process.env.TEST_VERBOSE ? 'info' : 'silent');
  const gateway = await startGateway({
    db: db.handle,
    temporal: { connection: workerConnection, client: new Client({ connection: clientConnection }) },
    config,
    logger,
  });
  return {
    db,
    gateway,
    secretKey,
    deliver(executionId, deviceId) {
      const activityEnv = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
      return activityEnv.run(gateway.activities.deliverToAgent, { executionId, deviceId });
    },
    async execution(executionId) {
      const [row] = await db.handle.orm.select().from(executions).where(eq(executions.id, executionId));
      if (!row) throw new Error(`no execution ${executionId}`);
      return row;
    },
    async stop() {
      await gateway.stop();
      await workerConnection.close();
      await clientConnection.close();
      await db.drop();
    },
  };
}
