// SIGTERM on each process mid-batch: it drains its in-flight work, exits 0 within its bound, loses
// nothing, and once restarted the system carries on. Bounds (see README's fault table):
//   api      5 s for in-flight requests (src/api/server.ts STOP_GRACE_MS), plus exit
//   worker   10 s for in-flight tasks (src/worker/start-worker.ts shutdownGraceTime), plus exit
//   gateway  5 s for in-flight deliveries' results (DRAIN_MS), 5 s activity grace, plus exit
// Each bound adds slack for a loaded 2-core machine; the test asserts it after the restarted process
// carried on, so a slow exit fails one test, never the ones after it.
//   agent    10 s for running commands (src/main/agent.ts STOP_GRACE_MS), 2 s for the last acks
import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batches } from '../../src/db/schema';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { expectFaultInvariants, expectFleetServes } from '../helpers/fault-invariants';
import { waitFor } from '../helpers/ports';
import type { RunningProcess } from '../helpers/processes';

let c: Cluster;
const devices: Device[] = [];
const agents: RunningProcess[] = [];
const tag = `term-${randomUUID().slice(0, 6)}`;

const BOUND_MS = { api: 15_000, worker: 20_000, gateway: 25_000, agent: 20_000 };

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
  for (let i = 0; i < 4; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  for (const d of devices) agents.push(await c.startAgent(d));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

const batchBody = (command: string, concurrency: number): Record<string, unknown> => ({
  targets: { tags: [tag] },
  action: { type: 'command', command, shell: 'sh', timeoutSec: 60 },
  strategy: { concurrency },
  deliveryTimeoutSec: 120,
});

/** SIGTERM, then the exit code and a check that the process exited within its bound (run it last). */
async function terminate(p: RunningProcess, boundMs: number): Promise<{ code: number | null; expectInBound(): void }> {
  const t0 = Date.now();
  const code = await p.stop('SIGTERM', boundMs + 30_000);
  const ms = Date.now() - t0;
  console.log(`SIGTERM ${p.name}: exited ${code} after ${ms} ms (bound ${boundMs} ms)`);
  return { code, expectInBound: () => expect(ms, `${p.name} drained within its bound`).toBeLessThan(boundMs) };
}

async function expectAllDone(batchId: string): Promise<void> {
  expect((await c.waitForBatch(batchId, 90_000)).batch.status).toBe('succeeded');
  const execs = await expectFaultInvariants(c, batchId, devices);
  expect(execs.every((e) => e.status === 'succeeded' && e.stdout === 'done\n')).toBe(true);
}

describe('graceful shutdown mid-batch', () => {
  it('worker: finishes its in-flight tasks, exits 0; restarted, the batch completes', async () => {
    const batchId = await c.startBatch(batchBody('sleep 1.5; echo done', 2));
    await c.waitForStats(batchId, 'commands to run', (s) => (s.running ?? 0) > 0);
    const stopped = await terminate(c.worker, BOUND_MS.worker);
    await c.startWorker();
    await expectAllDone(batchId);
    expect(stopped.code).toBe(0);
    stopped.expectInBound();
  }, 180_000); // the restart bundles the workflows, slow on a loaded machine

  it('gateway: running commands report before it closes its sessions; restarted, the batch completes', async () => {
    const batchId = await c.startBatch(batchBody('sleep 2; echo done', 2));
    await c.waitForStats(batchId, 'commands to run', (s) => (s.running ?? 0) === 2);
    const gateway = c.gateways.get('gw-a')!.proc;
    const stopped = await terminate(gateway, BOUND_MS.gateway);
    const stats = (await c.http<{ batch: { stats: Record<string, number> } }>('GET', `/v1/batches/${batchId}`)).body.batch.stats;
    await c.restartGateway('gw-a');
    await expectAllDone(batchId);
    // The two in-flight results were stored before the gateway let go of its agents.
    expect(stats.succeeded).toBe(2);
    expect(stopped.code).toBe(0);
    stopped.expectInBound();
  }, 90_000);

  it('gateway: commands outlasting its drain move with their agents and report once; restarted, the batch completes', async () => {
    // After the previous test's restart an agent may still be in its reconnect backoff.
    await waitFor('every agent back online', async () => {
      const r = await c.http<{ items: Array<{ status: string }> }>('GET', `/v1/devices?tag=${tag}`);
      return r.status === 200 && r.body.items.length === devices.length && r.body.items.every((d) => d.status === 'online');
    }, 60_000);
    const batchId = await c.startBatch(batchBody('sleep 8; echo done', 4));
    await c.waitForStats(batchId, 'all commands to run', (s) => (s.running ?? 0) === 4);
    const gateway = c.gateways.get('gw-a')!.proc;
    const stopped = await terminate(gateway, BOUND_MS.gateway);
    await c.restartGateway('gw-a');
    await expectAllDone(batchId);
    expect(stopped.code).toBe(0);
    stopped.expectInBound();
  }, 90_000);

  it('agent: lets its running command finish and reports it, exits 0; restarted, it takes new work', async () => {
    const batchId = await c.startBatch(batchBody('sleep 2; echo done', 4));
    await c.waitForStats(batchId, 'all commands to run', (s) => (s.running ?? 0) === 4);
    const stopped = await terminate(agents[0]!, BOUND_MS.agent);
    await expectAllDone(batchId);
    agents[0] = await c.startAgent(devices[0]!);
    await expectFleetServes(c, tag, devices);
    expect(stopped.code).toBe(0);
    stopped.expectInBound();
  }, 90_000);

  it('api: answers the requests it accepted, stores none it did not answer; restarted, it serves', async () => {
    const running = await c.startBatch(batchBody('sleep 2; echo done', 2));
    await c.waitForStats(running, 'commands to run', (s) => (s.running ?? 0) > 0);
    const keys = Array.from({ length: 6 }, () => randomUUID());
    const requests = keys.map((key) =>
      c.http<{ batchId: string }>('POST', '/v1/batches', batchBody('echo done', 4), { 'idempotency-key': key }).then(
        (r) => r,
        () => undefined,
      ),
    );
    await new Promise((r) => setTimeout(r, 30));
    const stopping = terminate(c.api, BOUND_MS.api);
    const answers = await Promise.all(requests);
    const stopped = await stopping;
    await c.startApi();
    expect(stopped.code).toBe(0);
    stopped.expectInBound();
    const created = answers.filter((a) => a?.status === 201).map((a) => a!.body.batchId);
    for (const a of answers) if (a) expect([201, 503]).toContain(a.status);
    const stored = await c.db.handle.orm.select({ id: batches.id }).from(batches).where(inArray(batches.idempotencyKey, keys));
    expect(stored.map((b) => b.id).sort()).toEqual([...created].sort());
    await expectAllDone(running);
    for (const id of created) await expectAllDone(id);
    console.log(`SIGTERM api: ${created.length} of ${keys.length} concurrent batch requests answered 201, the rest refused`);
  }, 90_000);
});
