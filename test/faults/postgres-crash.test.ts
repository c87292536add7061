// PostgreSQL killed with SIGKILL mid-batch (postmaster and every backend: open transactions cut, no shutdown
// checkpoint), on a server of the test's own, then started again: it recovers from its WAL, the pools and both
// gateways' NOTIFY listeners reconnect, activities retry, agents re-send unacknowledged results. Twice: once
// while the first commands run, once as their results are stored and the next devices are dispatched.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { expectFaultInvariants, expectFleetServes } from '../helpers/fault-invariants';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';

let pg: PrivatePostgres;
let c: Cluster;
const devices: Device[] = [];
const tag = `pgcrash-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  pg = await startPrivatePostgres();
  c = await startCluster(inject('temporalAddress'), { gateways: ['gw-1', 'gw-2'], databaseAdminUrl: pg.adminUrl });
  for (let i = 0; i < 4; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  await Promise.all(devices.map((d, i) => c.startAgent(d, i % 2 === 0 ? 'gw-1' : 'gw-2')));
}, 180_000);

afterAll(async () => {
  await c?.stop();
  await pg?.destroy();
});

describe('PostgreSQL killed (SIGKILL) mid-batch', () => {
  it('survives the crash and the recovery, and every process serves again', async () => {
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: 'sleep 2; echo done', shell: 'sh', timeoutSec: 60 },
      strategy: { concurrency: 2 },
      deliveryTimeoutSec: 120,
    });
    await c.waitForStats(batchId, 'the first commands to run', (s) => (s.running ?? 0) > 0);
    await pg.crash(3000);
    // The next devices are dispatched as the first results are stored: crash again right then.
    await c.waitForStats(batchId, 'the first results to be stored', (s) => (s.succeeded ?? 0) >= 1);
    await pg.crash(1000);
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('succeeded');
    const execs = await expectFaultInvariants(c, batchId, devices);
    expect(execs.every((e) => e.status === 'succeeded' && e.stdout.trim() === 'done')).toBe(true);
    for (const p of [c.api, c.worker, ...[...c.gateways.values()].map((g) => g.proc)]) expect(p.child.exitCode, `${p.name} exited`).toBeNull();
    await expectFleetServes(c, tag, devices);
  }, 150_000);
});
