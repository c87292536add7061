// The worker SIGKILLed three times in one batch, restarted each time: workflows resume from history,
// every device ends with one result and no command runs twice.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { expectFaultInvariants } from '../helpers/fault-invariants';

let c: Cluster;
const devices: Device[] = [];
const tag = `wkill-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
  for (let i = 0; i < 8; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  await Promise.all(devices.map((d) => c.startAgent(d)));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

describe('worker SIGKILLed three times mid-batch', () => {
  it('finishes the batch with every device succeeded once', async () => {
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: 'sleep 1.5; echo done', shell: 'sh', timeoutSec: 30 },
      strategy: { concurrency: 2 },
    });
    // Each kill lands while commands run, a little further into the batch than the one before.
    for (const doneBefore of [0, 2, 4]) {
      await c.waitForStats(batchId, `${doneBefore} done and more running`, (s) => (s.succeeded ?? 0) >= doneBefore && (s.running ?? 0) > 0);
      await c.worker.stop('SIGKILL');
      await c.startWorker();
    }
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('succeeded');
    const execs = await expectFaultInvariants(c, batchId, devices);
    expect(execs.every((e) => e.status === 'succeeded' && e.stdout.trim() === 'done')).toBe(true);
  }, 240_000); // ~45-75 s alone; each restart bundles the workflows, slow on a loaded machine
});
