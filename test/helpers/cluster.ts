// A real Flotilla deployment for end-to-end tests: worker, gateway(s) and API as separate processes
// on a fresh PostgreSQL database and the suite's Temporal dev server, plus real agent processes.
// Why a harness of its own: every role is a separate OS process (src/main/*.ts), so tests can kill,
// restart and partition them; the in-process harnesses cannot show what a crash or SIGTERM does.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './database';
import { createTestNamespace } from './namespace';
import { peakOverlap } from './overlap';
import { freePort, waitFor } from './ports';
import { READY, startProcess, type RunningProcess } from './processes';

export interface Device {
  id: string;
  name: string;
  token: string;
}

export interface Cluster {
  apiUrl: string;
  adminToken: string;
  temporalAddress: string;
  namespace: string;
  db: TestDatabase;
  gateways: Map<string, { url: string; proc: RunningProcess }>;
  worker: RunningProcess;
  api: RunningProcess;
  tmp: string;
  env: Record<string, string>;
  http<T = unknown>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  addDevice(name: string, tags?: string[]): Promise<Device>;
  /**
   * Starts an agent connected to the given gateways (ids, or ws:// URLs such as a proxy's; failover order), or the
   * first gateway; extra agent flags after, then variables of the agent process (which its commands inherit).
   */
  startAgent(device: Device, gatewayIds?: string | string[], extraArgs?: string[], agentEnv?: Record<string, string>): Promise<RunningProcess>;
  /** Restarts a stopped gateway on its old id and port. */
  restartGateway(id: string): Promise<void>;
  startGateway(id: string, port?: number): Promise<string>;
  startWorker(): Promise<RunningProcess>;
  /** Starts the API (again) on its port. */
  startApi(): Promise<RunningProcess>;
  /** The agent's own journal (JSON lines: started, result, acked). */
  agentJournal(device: Device): string[];
  /** Agent-side journal lines for an execution (how many times it was started on the device). */
  agentStarts(device: Device): string[];
  /**
   * Execution ids every agent process of the device logged as started ("exec start"), across restarts: a
   * restarted agent compacts its journal, so its finished executions' `started` lines are gone.
   */
  agentLoggedStarts(device: Device): string[];
  waitForBatch(batchId: string, timeoutMs?: number): Promise<BatchView>;
  /** POST /v1/batches; fails the test unless it answers 201. */
  startBatch(body: Record<string, unknown>): Promise<string>;
  /** Waits until the batch's per-status counts pass `test`. */
  waitForStats(batchId: string, what: string, test: (stats: Record<string, number>) => boolean): Promise<void>;
  stop(): Promise<void>;
}

export interface BatchView {
  batch: { id: string; status: string; stats: Record<string, number>; targetCount: number };
  progress: number;
}

export interface ExecutionView {
  deviceId: string;
  deviceName: string;
  status: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  startedAt: string | null;
  completedAt: string | null;
  error: string | null;
}

export const HEARTBEAT_MS = 1000;

export interface ClusterOptions {
  gateways?: string[];
  /**
   * Variables of each role's processes (metrics ports, say). By default no role opens a metrics port of
   * its own: parallel test files would fight over the fixed defaults.
   */
  roleEnv?: { api?: Record<string, string>; worker?: Record<string, string>; gateway?: Record<string, string> };
  /** A PostgreSQL server of the test's own (default: the shared one). */
  databaseAdminUrl?: string;
}

export async function startCluster(temporalAddress: string, opts: ClusterOptions = {}): Promise<Cluster> {
  const db = await createTestDatabase(opts.databaseAdminUrl);
  const namespace = await createTestNamespace(temporalAddress, 'e2e');
  const tmp = mkdtempSync(path.join(tmpdir(), 'flotilla-e2e-'));
  const adminToken = `adm_${randomBytes(16).toString('hex')}`;
  const apiPort = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: namespace,
    FLOTILLA_ADMIN_TOKEN: adminToken,
    FLOTILLA_SECRET_KEY: randomBytes(32).toString('hex'),
    FLOTILLA_HEARTBEAT_MS: String(HEARTBEAT_MS),
    FLOTILLA_BIND_HOST: '127.0.0.1',
    FLOTILLA_DATA_DIR: tmp,
    FLOTILLA_WORKER_METRICS_PORT: '0',
    FLOTILLA_GATEWAY_METRICS_PORT: '0',
    FLOTILLA_SDK_METRICS_PORT: '0',
  };
  const procs: RunningProcess[] = [];
  const gateways = new Map<string, { url: string; proc: RunningProcess }>();
  const agentDirs = new Map<string, string>();
  const agentProcs = new Map<string, RunningProcess[]>();

  const cluster: Cluster = {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    adminToken,
    temporalAddress,
    namespace,
    db,
    gateways,
    worker: undefined as unknown as RunningProcess,
    api: undefined as unknown as RunningProcess,
    tmp,
    env,
    async http(method, url, body, headers = {}) {
      const res = await fetch(`${cluster.apiUrl}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    async addDevice(name, tags = []) {
      const res = await cluster.http<{ device: { id: string }; agentToken: string }>('POST', '/v1/devices', { name, tags });
      if (res.status !== 201) throw new Error(`device create failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.device.id, name, token: res.body.agentToken };
    },
    async startAgent(device, gatewayIds, extraArgs = [], agentEnv = {}) {
      const ids = gatewayIds === undefined ? [gateways.keys().next().value as string] : [gatewayIds].flat();
      const urls = ids.map((id) => (id.startsWith('ws://') ? id : gateways.get(id)?.url));
      if (urls.some((u) => u === undefined)) throw new Error(`unknown gateway in ${ids.join(',')}`);
      const dir = agentDirs.get(device.id) ?? path.join(tmp, 'agents', device.name);
      agentDirs.set(device.id, dir);
      const p = startProcess(`agent:${device.name}`, 'src/main/agent.ts', { ...agentEnv, FLOTILLA_AGENT_TOKEN: device.token }, [
        '--gateway',
        urls.join(','),
        '--device-id',
        device.id,
        '--data-dir',
        dir,
        ...extraArgs,
      ]);
      procs.push(p);
      agentProcs.set(device.id, [...(agentProcs.get(device.id) ?? []), p]);
      await p.waitForLine(READY, 30_000);
      return p;
    },
    async restartGateway(id) {
      const old = gateways.get(id);
      if (!old) throw new Error(`unknown gateway ${id}`);
      await cluster.startGateway(id, Number(new URL(old.url).port));
    },
    async startGateway(id, fixedPort) {
      const port = fixedPort ?? (await freePort());
      const p = startProcess(`gateway:${id}`, 'src/main/gateway.ts', { ...env, ...opts.roleEnv?.gateway, FLOTILLA_GATEWAY_ID: id, FLOTILLA_GATEWAY_PORT: String(port) });
      procs.push(p);
      await p.waitForLine(READY, 60_000);
      const url = `ws://127.0.0.1:${port}`;
      gateways.set(id, { url, proc: p });
      return url;
    },
    async startWorker() {
      const p = startProcess('worker', 'src/main/worker.ts', { ...env, ...opts.roleEnv?.worker });
      procs.push(p);
      await p.waitForLine(READY, 90_000);
      cluster.worker = p;
      return p;
    },
    async startApi() {
      const p = startProcess('api', 'src/main/api.ts', { ...env, ...opts.roleEnv?.api, FLOTILLA_API_PORT: String(apiPort) });
      procs.push(p);
      cluster.api = p;
      await p.waitForLine(READY, 60_000);
      return p;
    },
    agentJournal(device) {
      const file = path.join(agentDirs.get(device.id) ?? '', 'journal.jsonl');
      return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    },
    agentStarts(device) {
      return cluster.agentJournal(device).filter((l) => l.includes('"started"'));
    },
    agentLoggedStarts(device) {
      return (agentProcs.get(device.id) ?? [])
        .flatMap((p) => p.lines)
        .filter((l) => l.includes('"msg":"exec start"'))
        .map((l) => (JSON.parse(l) as { executionId: string }).executionId);
    },
    async startBatch(body) {
      const r = await cluster.http<{ batchId: string }>('POST', '/v1/batches', body);
      if (r.status !== 201) throw new Error(`POST /v1/batches answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body.batchId;
    },
    async waitForStats(batchId, what, test) {
      await waitFor(what, async () => {
        const r = await cluster.http<BatchView>('GET', `/v1/batches/${batchId}`);
        return r.status === 200 && test(r.body.batch.stats);
      });
    },
    async waitForBatch(batchId, timeoutMs = 60_000) {
      return waitFor(
        `batch ${batchId} to finish`,
        async () => {
          const r = await cluster.http<BatchView>('GET', `/v1/batches/${batchId}`);
          return r.status === 200 && !['running', 'paused'].includes(r.body.batch.status) ? r.body : undefined;
        },
        timeoutMs,
        250,
      );
    },
    async stop() {
      await Promise.all(procs.map((p) => p.stop('SIGKILL', 1000)));
      await db.drop();
    },
  };

  const api = cluster.startApi();
  for (const id of opts.gateways ?? ['gw-a']) await cluster.startGateway(id);
  await cluster.startWorker();
  await api;
  return cluster;
}

export async function executionsOf(c: Cluster, batchId: string): Promise<ExecutionView[]> {
  const out: ExecutionView[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `/v1/batches/${batchId}/executions?limit=200${cursor ? `&cursor=${cursor}` : ''}`;
    const r = await c.http<{ items: ExecutionView[]; nextCursor: string | null }>('GET', q);
    if (r.status !== 200) throw new Error(`executions: ${r.status} ${JSON.stringify(r.body)}`);
    out.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return out;
}

/** Highest number of commands running at once, from agent-side start/end timestamps. */
export function peakRunning(execs: ExecutionView[]): number {
  return peakOverlap(
    execs
      .filter((e) => e.startedAt && e.completedAt)
      .map((e) => ({ start: Date.parse(e.startedAt as string), end: Date.parse(e.completedAt as string) })),
  );
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
