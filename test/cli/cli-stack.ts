// The system the CLI tests run against: startStack (API, workflow worker, gateway) on a fresh database
// and the suite's Temporal dev server, with two real demo agents (group `demo`) online.
// Why a harness of its own: the CLI is tested against what a user starts (startStack, the all-in-one),
// including the admin token it writes to its data folder and its demo agents.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { devices } from '../../src/db/schema';
import { createLogger } from '../../src/logger';
import { startStack, type Stack } from '../../src/main/stack';
import { testConfig } from '../helpers/config';
import { createTestDatabase } from '../helpers/database';
import { createTestNamespace } from '../helpers/namespace';
import { freePort, waitFor } from '../helpers/ports';

export interface CliStack {
  stack: Stack;
  /** What the CLI gets: the API URL and the data folder holding the admin token (no token variable). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startCliStack(temporalAddress: string, name: string): Promise<CliStack> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), `flotilla-${name}-`));
  const config = testConfig({
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporalAddress,
    // A namespace of its own: other test files run workflow workers on the shared dev server.
    TEMPORAL_NAMESPACE: await createTestNamespace(temporalAddress, name),
    FLOTILLA_API_PORT: String(await freePort()),
    FLOTILLA_GATEWAY_PORT: String(await freePort()),
    FLOTILLA_GATEWAY_ID: `${name}-test-${Date.now()}`,
    FLOTILLA_DATA_DIR: dataDir,
    FLOTILLA_DEMO_AGENTS: '2',
    FLOTILLA_HEARTBEAT_MS: '1000',
    // Unset, as in a fresh install: the stack makes the admin token and secret key in the data folder, where the CLI finds the token.
    FLOTILLA_ADMIN_TOKEN: '',
    FLOTILLA_SECRET_KEY: '',
    // One Temporal runtime per test process: no fixed SDK metrics port shared by parallel files.
    FLOTILLA_SDK_METRICS_PORT: '0',
  });
  const stack = await startStack({ config, logger: createLogger(`${name}-test`, 'warn') });
  await waitFor(
    'both demo agents online',
    async () => {
      const rows = await stack.db.orm
        .select({ id: devices.id })
        .from(devices)
        .where(and(inArray(devices.id, stack.demoDeviceIds), eq(devices.online, true)));
      return rows.length === 2;
    },
    60_000,
  );
  return {
    stack,
    env: { FLOTILLA_API_URL: stack.apiUrl, FLOTILLA_DATA_DIR: dataDir },
    async stop() {
      await stack.stop();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
