// Two gateways, and a worker killed mid-batch: every device still ends with exactly one result and no
// command runs twice (checked in the agents' own journals).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executionsOf, startCluster, type Cluster, type Device } from '../helpers/cluster';

let c: Cluster;
const devices: Device[] = [];
const tag = `faults-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'), { gateways: ['gw-1', 'gw-2'] });
  for (let i = 0; i < 4; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  // Half the fleet prefers each gateway and fails over to the other.
  await Promise.all(devices.map((d, i) => c.startAgent(d, i % 2 === 0 ? ['gw-1', 'gw-2'] : ['gw-2', 'gw-1'])));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

describe('faults', () => {
  it('reaches devices on both gateways in one batch', async () => {
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: 'echo reached', shell: 'sh', timeoutSec: 30 },
      strategy: { concurrency: 4 },
    });
    const view = await c.waitForBatch(batchId);
    expect(view.batch.status).toBe('succeeded');
    const execs = await executionsOf(c, batchId);
    expect(execs.map((e) => e.stdout.trim())).toEqual(['reached', 'reached', 'reached', 'reached']);
    const gws = await c.http<{ items: Array<{ id: string; status: string }> }>('GET', `/v1/devices?tag=${tag}`);
    expect(gws.body.items.every((d) => d.status === 'online')).toBe(true);
  });

  it('loses nothing and runs nothing twice when the worker is killed mid-batch', async () => {
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: 'sleep 1.5; echo done', shell: 'sh', timeoutSec: 30 },
      strategy: { concurrency: 2 },
    });
    await c.waitForStats(batchId, 'the first commands to run', (s) => (s.running ?? 0) > 0);
    await c.worker.stop('SIGKILL');
    await c.startWorker();
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('succeeded');
    const execs = await executionsOf(c, batchId);
    expect(execs).toHaveLength(4);
    expect(execs.every((e) => e.status === 'succeeded' && e.stdout.trim() === 'done')).toBe(true);
    expectEachExecutionStartedOnce();
  });

  it('records every result when a gateway is killed while its agents run commands', async () => {
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: 'sleep 2; echo survived', shell: 'sh', timeoutSec: 30 },
      strategy: { concurrency: 4 },
      deliveryTimeoutSec: 60,
    });
    await c.waitForStats(batchId, 'all four commands to run', (s) => (s.running ?? 0) === 4);
    await c.gateways.get('gw-1')!.proc.stop('SIGKILL');
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('succeeded');
    const execs = await executionsOf(c, batchId);
    expect(execs.every((e) => e.status === 'succeeded' && e.stdout.trim() === 'survived')).toBe(true);
    expectEachExecutionStartedOnce();
    // The killed gateway comes back and takes agents again.
    await c.restartGateway('gw-1');
    const again = await c.startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: 'echo again', shell: 'sh', timeoutSec: 30 },
      strategy: { concurrency: 4 },
    });
    expect((await c.waitForBatch(again, 60_000)).batch.status).toBe('succeeded');
  });
});

/** The agents' own journals: no execution id was ever started twice on a device. */
function expectEachExecutionStartedOnce(): void {
  for (const d of devices) {
    const ids = c.agentStarts(d).map((l) => (JSON.parse(l) as { executionId: string }).executionId);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  }
}
