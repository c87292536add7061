// npm run bench:outcomes -- --devices 10000 [--runs 9]
// Stores a finished batch of N devices with realistic outputs (package-manager output with varying
// numbers, a few distinct failures, some 1 MiB truncated outputs) in a fresh database on the local
// PostgreSQL, then times through the API (in process, app.request): the outcome groups for each
// normalisation and an output search. Prints ONE JSON line on stdout; progress goes to stderr.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { Command } from 'commander';
import { Client as PgClient } from 'pg';
import { createApp } from '../src/api';
import { loadServerConfig } from '../src/config';
import { openDatabase, type Database } from '../src/db/client';
import { batches, devices, executions } from '../src/db/schema';
import { OUTCOME_NORMALIZATIONS } from '../src/domain/outcome';
import { createLogger } from '../src/logger';
import { hashToken, newToken } from '../src/security/secrets';
import { batchWorkflowId } from '../src/workflows/definitions';
import { percentile, round } from './measure';
import { runBenchCommand } from './run-command';

interface Flags {
  devices: string;
  runs: string;
  adminUrl: string;
  keep?: boolean;
}

const log = (s: string): void => {
  process.stderr.write(`[bench:outcomes] ${s}\n`);
};

const MIB = 1024 * 1024;

/** What device i answered: most say the same thing with their own numbers; a few fail in two ways. */
function outcomeOf(i: number): { status: 'succeeded' | 'failed' | 'timed_out'; exitCode: number | null; stdout: string; stderr: string; truncated: boolean } {
  const upgraded = i % 25 === 0 ? 3 : 0;
  const stdout =
    `Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\n` +
    `${upgraded} upgraded, 0 newly installed, 0 to remove and ${i % 17} not upgraded.\n` +
    ` ${String(10 + (i % 50)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:01 up ${i % 400} days, load average: 0.${i % 90}, 0.${i % 70}, 0.${i % 50}\n`;
  if (i % 100 === 7) {
    return { status: 'failed', exitCode: 100, stdout: '', stderr: `E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process ${1000 + i} (apt-get)\n`, truncated: false };
  }
  if (i % 1000 === 13) {
    return { status: 'failed', exitCode: 1, stdout: 'x'.repeat(MIB), stderr: 'dpkg: error processing package foo (--configure)\n', truncated: true };
  }
  if (i % 500 === 3) return { status: 'timed_out', exitCode: null, stdout: stdout.slice(0, 40), stderr: '', truncated: false };
  return { status: 'succeeded', exitCode: 0, stdout, stderr: '', truncated: false };
}

async function store(db: Database, count: number): Promise<string> {
  const fleet = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), name: `bench-${String(i).padStart(5, '0')}` }));
  for (let i = 0; i < count; i += 1000) {
    await db.insert(devices).values(
      fleet.slice(i, i + 1000).map((d) => ({ id: d.id, name: d.name, owner: 'admin', tokenHash: hashToken(newToken('fla')) })),
    );
  }
  const batchId = randomUUID();
  await db.insert(batches).values({
    id: batchId,
    owner: 'admin',
    steps: [{ type: 'command', command: 'apt-get upgrade -y && uptime', shell: 'sh', timeoutSec: 300 }],
    stepMode: 'sequential',
    strategy: { mode: 'parallel', concurrency: 1000, maxFailures: null, requested: { concurrency: 1000, maxFailures: null } },
    targets: { deviceIds: fleet.map((d) => d.id) },
    targetCount: count,
    deliveryTimeoutSec: 300,
    deadlineSec: null,
    workflowId: batchWorkflowId(batchId),
    status: 'partial',
  });
  // Rows of 1 MiB outputs go in small inserts: one statement stays far below PostgreSQL's limits.
  for (let i = 0; i < count; i += 200) {
    await db.insert(executions).values(
      fleet.slice(i, i + 200).map((d, j) => {
        const seq = i + j;
        const o = outcomeOf(seq);
        return { id: randomUUID(), batchId, deviceId: d.id, deviceName: d.name, seq, ...o, completedAt: new Date() };
      }),
    );
  }
  return batchId;
}

async function timeRequests(runs: number, request: () => Promise<Response>): Promise<{ p50Ms: number; maxMs: number; body: unknown }> {
  const times: number[] = [];
  let body: unknown;
  for (let r = 0; r < runs; r += 1) {
    const t0 = performance.now();
    const res = await request();
    body = await res.json();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`answer ${res.status}: ${JSON.stringify(body)}`);
  }
  return { p50Ms: round(percentile(times, 50) ?? 0, 1), maxMs: round(Math.max(...times), 1), body };
}

async function main(flags: Flags): Promise<number> {
  const count = Number(flags.devices);
  const runs = Number(flags.runs);
  const name = `flotilla_bench_${randomBytes(4).toString('hex')}`;
  const admin = new PgClient({ connectionString: flags.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(flags.adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), dataDir: '/nonexistent' });
  try {
    log(`storing a finished batch of ${count} devices`);
    const t0 = performance.now();
    const batchId = await store(handle.orm, count);
    const storeSeconds = round((performance.now() - t0) / 1000, 1);
    await handle.orm.execute('analyze');
    const token = randomBytes(16).toString('hex');
    const config = loadServerConfig({ FLOTILLA_ADMIN_TOKEN: token, FLOTILLA_SECRET_KEY: 'ab'.repeat(32), FLOTILLA_RATE_LIMIT_RPS: '0' });
    // The outcome routes never call Temporal; a lazy connection that is never used stands in.
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const app = createApp({ db: handle, temporal, config, logger: createLogger('bench', 'silent') });
    const get = (path: string) => (): Promise<Response> => Promise.resolve(app.request(path, { headers: { authorization: `Bearer ${token}` } }));
    const result: Record<string, unknown> = { devices: count, runs, storeSeconds };
    for (const n of OUTCOME_NORMALIZATIONS) {
      log(`outcomes, normalize=${n}`);
      const t = await timeRequests(runs, get(`/v1/batches/${batchId}/outcomes?normalize=${n}`));
      result[`outcomes_${n}`] = { p50Ms: t.p50Ms, maxMs: t.maxMs, distinct: (t.body as { distinct: number }).distinct };
    }
    for (const [label, query] of [
      ['search_stdout', 'stdout=not%20upgraded&limit=50'],
      ['search_stderr_rare', 'stderr=could%20not%20get%20lock&limit=200'],
      ['search_absent', 'stdout=no-such-text-anywhere'],
    ] as const) {
      log(`output search: ${label}`);
      const t = await timeRequests(runs, get(`/v1/batches/${batchId}/executions?${query}`));
      result[label] = { p50Ms: t.p50Ms, maxMs: t.maxMs, matchesOnFirstPage: (t.body as { items: unknown[] }).items.length };
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    await handle.close();
    if (flags.keep) log(`kept database ${name}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

runBenchCommand<Flags>(
  new Command('bench:outcomes')
    .option('--devices <n>', 'devices in the stored batch', '10000')
    .option('--runs <n>', 'times each request is made (the median is reported)', '9')
    .option('--keep', 'leave the database in place (its name goes to stderr), to look at plans')
    .option('--admin-url <url>', 'a PostgreSQL server the bench may create a database on', process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'),
  main,
  log,
);
