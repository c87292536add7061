// One API under test: its own PostgreSQL database, a client of the run's Temporal dev server, the
// app driven through app.request, and cleanup of the workflows the tests started.
// Why a harness of its own: nothing runs workflows (no worker, no gateway), so what the API starts
// stays pending for inspection; also the base for tests that only need a database and such a client.
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { createApp } from '../../src/api';
import type { ServerConfig } from '../../src/config';
import { batches, executions } from '../../src/db/schema';
import { createLogger } from '../../src/logger';
import { TEST_ADMIN_TOKEN, testConfig } from '../helpers/config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestNamespace } from '../helpers/namespace';

/** Response bodies in tests are read loosely; each test asserts the fields it relies on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface Harness {
  db: TestDatabase;
  client: Client;
  config: ServerConfig;
  app: ReturnType<typeof createApp>;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T = Loose>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Headers }>;
  counts(): Promise<{ batches: number; executions: number }>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  // A namespace of its own: no worker polls it, so the workflows the API starts stay pending for inspection.
  const client = new Client({ connection, namespace: await createTestNamespace(inject('temporalAddress'), 'api-test') });
  const config = testConfig({ FLOTILLA_MAX_BODY_BYTES: String(256 * 1024), ...env });
  const app = createApp({ db: db.handle, temporal: client, config, logger: createLogger('api-test', 'silent') });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { 'content-type': 'application/json', ...init.headers };
    }
    return Promise.resolve(app.request(path, init));
  };
  return {
    db,
    client,
    config,
    app,
    call,
    async json(method, path, body, headers) {
      const res = await call(method, path, body, headers);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async counts() {
      const [b] = await db.handle.orm.$count(batches).then((n) => [n]);
      const e = await db.handle.orm.$count(executions);
      return { batches: b ?? 0, executions: e };
    },
    async close() {
      // Terminate whatever the tests started; nothing runs these workflows.
      for await (const wf of client.workflow.list({ query: 'ExecutionStatus="Running"' })) {
        await client.workflow.getHandle(wf.workflowId).terminate('api tests done').catch(() => undefined);
      }
      await connection.close();
      await db.drop();
    },
  };
}
