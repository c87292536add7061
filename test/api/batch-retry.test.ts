// POST /v1/batches/:id/retry through the API: exactly the devices in the chosen statuses, the same
// definition (env included, still sealed), linked both ways, and nothing created for a refused retry.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batches, executions } from '../../src/db/schema';
import type { ExecutionStatus } from '../../src/domain/status';
import { unseal } from '../../src/security/secrets';
import { addDevice, command, startedInput, unique } from './batch-fixtures';
import { TEST_SECRET_KEY } from '../helpers/config';
import { startHarness, type Harness } from './harness';

let h: Harness;
const devices: string[] = [];
const outcomes: ExecutionStatus[] = ['succeeded', 'failed', 'timed_out', 'succeeded', 'undeliverable', 'cancelled', 'failed', 'skipped'];

beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < outcomes.length; i++) devices.push(await addDevice(h, unique(`retry-${i}`)));
});
afterAll(async () => {
  await h.close();
});

/** A batch over every device, then ended as if it ran: device i ended in outcomes[i]. */
async function finishedBatch(body: Record<string, unknown> = {}): Promise<string> {
  const res = await h.json('POST', '/v1/batches', { targets: { deviceIds: devices }, action: command('apt-get upgrade -y', { env: { PROXY: 'http://secret' } }), ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id: string = res.body.batchId;
  for (const [i, status] of outcomes.entries()) {
    await h.db.handle.orm.update(executions).set({ status }).where(eq(executions.deviceId, devices[i]!));
  }
  await h.db.handle.orm.update(batches).set({ status: 'partial' }).where(eq(batches.id, id));
  return id;
}

const devicesWith = (...statuses: ExecutionStatus[]): string[] => devices.filter((_, i) => statuses.includes(outcomes[i]!));

describe('POST /v1/batches/:id/retry', () => {
  it('retries exactly the failed, timed out and undeliverable devices by default, linked both ways', async () => {
    const original = await finishedBatch({ strategy: { mode: 'parallel', concurrency: '50%', maxFailures: 1 } });
    const res = await h.json('POST', `/v1/batches/${original}/retry`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.retryOf).toBe(original);
    expect(res.body.deviceIds).toEqual(devicesWith('failed', 'timed_out', 'undeliverable'));
    const retried = (await h.json('GET', `/v1/batches/${res.body.batchId}`)).body.batch;
    expect(retried.retryOf).toBe(original);
    expect(retried.action).toMatchObject({ command: 'apt-get upgrade -y', env: { PROXY: '***' } });
    // "50%" is resolved again against the 4 retried devices.
    expect(retried.strategy).toMatchObject({ concurrency: 2, maxFailures: 1, requested: { concurrency: '50%', maxFailures: 1 } });
    expect((await h.json('GET', `/v1/batches/${original}`)).body.batch.retries).toEqual([res.body.batchId]);
    const [row] = await h.db.handle.orm.select().from(batches).where(eq(batches.id, res.body.batchId));
    const [step] = row!.steps;
    expect(step?.type === 'command' && unseal(step.envSealed!, TEST_SECRET_KEY)).toEqual({ PROXY: 'http://secret' });
    expect((await startedInput(h, res.body.workflowId)).targetCount).toBe(4);
  });

  it('retries the statuses asked for, and keeps a waves strategy with its health check', async () => {
    const original = await finishedBatch({ strategy: { mode: 'waves', waveSize: '50%', maxFailuresPerWave: 0, healthCheck: command('true') } });
    const res = await h.json('POST', `/v1/batches/${original}/retry`, { statuses: ['cancelled', 'skipped'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.deviceIds).toEqual(devicesWith('cancelled', 'skipped'));
    const retried = (await h.json('GET', `/v1/batches/${res.body.batchId}`)).body.batch;
    expect(retried.strategy).toMatchObject({ mode: 'waves', waves: { size: 1, maxFailuresPerWave: 0, healthCheck: { command: 'true' } } });
    const second = await h.json('POST', `/v1/batches/${original}/retry`, { statuses: ['succeeded'] });
    expect((await h.json('GET', `/v1/batches/${original}`)).body.batch.retries).toEqual([res.body.batchId, second.body.batchId]);
  });

  it('refuses with nothing created: no device in those statuses (409), a batch still going (409), bad statuses (400), unknown batch (404)', async () => {
    const original = await finishedBatch();
    const before = await h.counts();
    const none = await h.json('POST', `/v1/batches/${original}/retry`, { statuses: ['delayed'] });
    expect(none.status).toBe(400);
    const nothing = await h.json('POST', `/v1/batches/${original}/retry`, { statuses: ['timed_out'] });
    expect(nothing.status).toBe(201);
    const after = await h.counts();
    await h.db.handle.orm.update(executions).set({ status: 'succeeded' }).where(eq(executions.batchId, original));
    const noFailures = await h.json('POST', `/v1/batches/${original}/retry`);
    expect(noFailures.status).toBe(409);
    expect(noFailures.body.error.code).toBe('nothing_to_retry');
    await h.db.handle.orm.update(batches).set({ status: 'paused' }).where(eq(batches.id, original));
    const going = await h.json('POST', `/v1/batches/${original}/retry`);
    expect(going.status).toBe(409);
    expect(going.body.error.code).toBe('batch_running');
    expect((await h.json('POST', `/v1/batches/${crypto.randomUUID()}/retry`)).status).toBe(404);
    expect((await h.json('POST', `/v1/batches/${original}/retry`, { statuses: [] })).status).toBe(400);
    expect(await h.counts()).toEqual(after);
    expect(after.batches).toBe(before.batches + 1);
  });
});
