// Two gateways, and a worker killed mid-batch: every device still ends with exactly one result and no
// command runs twice (checked in the agents' own journals).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executionsOf, startCluster, type Cluster, type Device } from '../helpers/cluster';
import { waitFor } from '../helpers/ports';

let c: Cluster;
const devices: Device[] = [];
const tag = `faults-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'), { gateways: ['gw-1', 'gw-2'] });
  for (let i = 0; i < 4; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  await Promise.all(devices.map((d, i) => c.startAgent(d, i % 2 === 0 ? 'gw-1' : 'gw-2')));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

const startBatch = async (body: Record<string, unknown>): Promise<string> => {
  const r = await c.http<{ batchId: string }>('POST', '/v1/batches', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.batchId;
};

describe('faults', () => {
  it('reaches devices on both gateways in one batch', async () => {
    const batchId = await startBatch({
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
    const batchId = await startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: 'sleep 1.5; echo done', shell: 'sh', timeoutSec: 30 },
      strategy: { concurrency: 2 },
    });
    await waitFor('the first commands to run', async () => {
      const r = await c.http<{ batch: { stats: Record<string, number> } }>('GET', `/v1/batches/${batchId}`);
      return (r.body.batch.stats.running ?? 0) > 0;
    });
    await c.worker.stop('SIGKILL');
    await c.startWorker();
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('succeeded');
    const execs = await executionsOf(c, batchId);
    expect(execs).toHaveLength(4);
    expect(execs.every((e) => e.status === 'succeeded' && e.stdout.trim() === 'done')).toBe(true);
    for (const d of devices) {
      const starts = c.agentStarts(d).filter((l) => execs.some((e) => e.deviceId === d.id));
      const ids = starts.map((l) => (JSON.parse(l) as { executionId: string }).executionId);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
