// The full system brought up inside the benchmark process with startStack: a fresh PostgreSQL database
// when the local server answers (dropped at the end; embedded PGlite otherwise), its own Temporal dev
// server (started here, on a SQLite file like the all-in-one's or in memory, so the Temporal reference
// can share it), free ports, no demo agents. Devices are inserted in bulk; latencies are read from the rows.
// Why a harness of its own: it runs outside vitest (no suite dev server, no test database helpers),
// falls back to PGlite, and can run its own Temporal server for measurements.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, arrayContains, count, eq, inArray } from 'drizzle-orm';
import { Client as PgClient } from 'pg';
import { createApiClient } from '../src/cli/http';
import { loadServerConfig } from '../src/config';
import { insertDevices } from '../src/db/queries/devices';
import { devices, executions } from '../src/db/schema';
import type { Logger } from '../src/logger';
import { startStack } from '../src/main/stack';
import { hashToken, newToken } from '../src/security/secrets';
import { startDevServer, type DevServer, type DevServerTuning } from '../src/temporal/dev-server';
import { freePort } from './measure';
import type { BenchTarget, Registered } from './target';

const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates flotilla_bench_<random> on the local server; undefined when PostgreSQL is not reachable. */
async function createBenchDatabase(log: (s: string) => void): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const name = `flotilla_bench_${randomBytes(5).toString('hex')}`;
  const admin = new PgClient({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (err) {
    log(`local PostgreSQL not usable (${String(err)}); using embedded PGlite`);
    return undefined;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new PgClient({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface InProcessOptions {
  devices: number;
  /** Run the Temporal dev server in memory instead of on a SQLite file. */
  temporalInMemory: boolean;
  /** FLOTILLA_ENROLL_RATE_PER_MIN=0: the whole fleet enrolls from one address (--enroll). */
  enrollRateLimitOff?: boolean;
  /** The dev server's settings (default: what the all-in-one runs with). */
  devServerTuning?: DevServerTuning | 'none';
  logger: Logger;
  log: (s: string) => void;
}

export async function startInProcessTarget(opts: InProcessOptions): Promise<BenchTarget> {
  const database = await createBenchDatabase(opts.log);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flotilla-bench-'));
  let devServer: DevServer | undefined;
  const cleanup = async (): Promise<void> => {
    await devServer?.stop();
    await database?.drop().catch((err: unknown) => opts.log(`could not drop the bench database: ${String(err)}`));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    devServer = await startDevServer({
      port: await freePort(),
      uiPort: await freePort(),
      headless: true,
      ...(opts.temporalInMemory ? {} : { dbFile: path.join(dataDir, 'temporal.sqlite') }),
      ...(opts.devServerTuning ? { tuning: opts.devServerTuning } : {}),
    });
  } catch (err) {
    await cleanup();
    throw err;
  }
  const config = loadServerConfig({
    ...process.env,
    TEMPORAL_ADDRESS: devServer.address,
    DATABASE_URL: database?.url ?? '',
    FLOTILLA_DATA_DIR: dataDir,
    FLOTILLA_BIND_HOST: '127.0.0.1',
    FLOTILLA_PUBLIC_HOST: '127.0.0.1',
    FLOTILLA_API_PORT: String(await freePort()),
    FLOTILLA_GATEWAY_PORT: String(await freePort()),
    FLOTILLA_GATEWAY_ID: `bench-${randomUUID().slice(0, 8)}`,
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    TEMPORAL_DEV_METRICS_PORT: String(await freePort()),
    FLOTILLA_SDK_METRICS_PORT: String(await freePort()),
    FLOTILLA_DEMO_AGENTS: '0',
    FLOTILLA_MAX_TARGETS: String(Math.max(10_000, opts.devices)),
    ...(opts.enrollRateLimitOff ? { FLOTILLA_ENROLL_RATE_PER_MIN: '0' } : {}),
  });
  const temporal = `Temporal dev server (${opts.temporalInMemory ? 'in memory' : 'SQLite file'}) at ${devServer.address}`;
  opts.log(`starting the stack (${database ? 'PostgreSQL' : 'PGlite'}, ${temporal})`);
  let stack;
  try {
    stack = await startStack({ config, logger: opts.logger });
  } catch (err) {
    await cleanup();
    throw err;
  }
  const { orm: db } = stack.db;
  return {
    api: createApiClient({ apiUrl: stack.apiUrl, token: stack.adminToken }),
    gatewayUrl: stack.gatewayUrl,
    temporal: { address: devServer.address, namespace: config.temporal.namespace, pid: devServer.process.pid },
    latencyBasis: 'dispatched-to-completed',
    async register(n, tag) {
      const rows: Array<Registered & { name: string }> = Array.from({ length: n }, (_, i) => ({
        id: randomUUID(),
        token: newToken('fla'),
        name: `${tag}-${String(i).padStart(6, '0')}`,
      }));
      await insertDevices(
        db,
        rows.map((r) => ({ id: r.id, name: r.name, hostname: null, tags: [tag], owner: 'admin', tokenHash: hashToken(r.token) })),
      );
      return rows.map(({ id, token }) => ({ id, token }));
    },
    async countOnline(tag) {
      const [row] = await db
        .select({ n: count() })
        .from(devices)
        .where(and(eq(devices.online, true), arrayContains(devices.tags, [tag])));
      return row?.n ?? 0;
    },
    async latenciesMs(batchId) {
      const rows = await db
        .select({ dispatchedAt: executions.dispatchedAt, completedAt: executions.completedAt })
        .from(executions)
        .where(eq(executions.batchId, batchId));
      return rows.flatMap((r) => (r.dispatchedAt && r.completedAt ? [r.completedAt.getTime() - r.dispatchedAt.getTime()] : []));
    },
    async executions(batchIds) {
      if (batchIds.length === 0) return [];
      return db.select({ id: executions.id, batchId: executions.batchId, status: executions.status }).from(executions).where(inArray(executions.batchId, batchIds));
    },
    async stop() {
      await stack.stop();
      await cleanup();
    },
  };
}
