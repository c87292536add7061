import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executions } from '../../src/db/schema';
import { seedDevices } from '../helpers/batches';
import { command } from './batch-fixtures';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FLOTILLA_MAX_BODY_BYTES: String(1024 * 1024) });
});
afterAll(async () => {
  await h.close();
});

describe('a 10,000-device batch', () => {
  it('is resolved, stored and started quickly, with executions in the given order', async () => {
    const fleet = await seedDevices(h.db.handle.orm, 10_000);
    const deviceIds = fleet.map((d) => d.id).reverse();
    const started = performance.now();
    const res = await h.json('POST', '/v1/batches', { targets: { deviceIds }, action: command('true'), strategy: { concurrency: '10%' } });
    const ms = performance.now() - started;
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    expect(res.body.targetCount).toBe(10_000);
    expect(res.body.deviceIds).toEqual(deviceIds);
    // Generous for a shared 2-core machine; typically well under 2 s.
    expect(ms).toBeLessThan(10_000);
    const rows = await h.db.handle.orm
      .select({ seq: executions.seq, deviceId: executions.deviceId })
      .from(executions)
      .where(eq(executions.batchId, res.body.batchId))
      .orderBy(executions.seq);
    expect(rows.map((r) => r.deviceId)).toEqual(deviceIds);
    const shown = await h.json('GET', `/v1/batches/${res.body.batchId}`);
    expect(shown.body.batch.stats.queued).toBe(10_000);
    expect(shown.body.batch.strategy.concurrency).toBe(1000);
    expect(shown.body.progress).toBe(0);
  });
});
