import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executions } from '../../src/db/schema';
import { addDevice, command, unique } from './batch-fixtures';
import { startHarness, type Harness, type Loose } from './harness';

let h: Harness;
let batchId: string;
let deviceIds: string[];
const names: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  deviceIds = [];
  for (let i = 0; i < 5; i += 1) {
    names.push(unique(`exec${i}`));
    deviceIds.push(await addDevice(h, names[i] as string));
  }
  const res = await h.json('POST', '/v1/batches', { targets: { deviceIds }, action: command('cat big') });
  expect(res.status).toBe(201);
  batchId = res.body.batchId;
  // Results as the activities would write them.
  const at = (ms: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms));
  const write = (deviceId: string, values: Partial<typeof executions.$inferInsert>): Promise<unknown> =>
    h.db.handle.orm
      .update(executions)
      .set(values)
      .where(and(eq(executions.batchId, batchId), eq(executions.deviceId, deviceId)));
  await write(deviceIds[0] as string, {
    status: 'succeeded',
    exitCode: 0,
    stdout: 'é'.repeat(3000), // 6,000 bytes: more than the 4 KiB a list shows
    stderr: 'warning\n',
    startedAt: at(0),
    completedAt: at(1500),
  });
  await write(deviceIds[1] as string, { status: 'failed', exitCode: 2, stdout: '', stderr: 'x'.repeat(5000), truncated: true, startedAt: at(0), completedAt: at(10) });
  await write(deviceIds[2] as string, { status: 'undeliverable', error: 'device stayed offline for 300 s' });
  await write(deviceIds[3] as string, { status: 'running', startedAt: at(0) });
});
afterAll(async () => {
  await h.close();
});

describe('GET /v1/batches/:id/executions', () => {
  it('lists executions in target order with outputs cut to their first 4 KiB', async () => {
    const res = await h.json('GET', `/v1/batches/${batchId}/executions`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const items = res.body.items;
    expect(items.map((e: Loose) => e.deviceId)).toEqual(deviceIds);
    expect(items[0]).toEqual({
      deviceId: deviceIds[0],
      deviceName: names[0],
      status: 'succeeded',
      exitCode: 0,
      stdout: 'é'.repeat(2048),
      stderr: 'warning\n',
      truncated: false,
      startedAt: '2026-01-01T00:00:00.000Z',
      completedAt: '2026-01-01T00:00:01.500Z',
      durationMs: 1500,
      error: null,
      outputCut: true,
      // Written straight to the row here, as no agent reported steps.
      steps: [],
    });
    expect(items[1]).toMatchObject({ status: 'failed', exitCode: 2, stdout: '', truncated: true, outputCut: true, durationMs: 10 });
    expect(items[1].stderr).toBe('x'.repeat(4096));
    expect(items[2]).toMatchObject({ status: 'undeliverable', exitCode: null, stdout: null, stderr: null, error: 'device stayed offline for 300 s', durationMs: null, outputCut: false });
    expect(items[3]).toMatchObject({ status: 'running', startedAt: '2026-01-01T00:00:00.000Z', completedAt: null, durationMs: null });
    expect(items[4]).toMatchObject({ status: 'queued', outputCut: false });
  });

  it('filters by status and pages by seq', async () => {
    const failed = await h.json('GET', `/v1/batches/${batchId}/executions?status=failed`);
    expect(failed.body.items.map((e: Loose) => e.deviceId)).toEqual([deviceIds[1]]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Loose } = await h.json('GET', `/v1/batches/${batchId}/executions?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((e: Loose) => e.deviceId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(deviceIds);
  });

  it('answers 404 for an unknown batch and 400 invalid_cursor for a time cursor', async () => {
    expect((await h.json('GET', `/v1/batches/${randomUUID()}/executions`)).status).toBe(404);
    const devicesPage = await h.json('GET', '/v1/devices?limit=1');
    const wrongKind = devicesPage.body.nextCursor as string;
    expect(wrongKind).toBeTruthy();
    const res = await h.json('GET', `/v1/batches/${batchId}/executions?cursor=${wrongKind}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_cursor');
  });
});

describe('GET /v1/batches/:id/executions/:deviceId', () => {
  it('returns the full output', async () => {
    const res = await h.json('GET', `/v1/batches/${batchId}/executions/${deviceIds[0]}`);
    expect(res.status).toBe(200);
    expect(res.body.stdout).toBe('é'.repeat(3000));
    expect(res.body).toMatchObject({ deviceName: names[0], status: 'succeeded', durationMs: 1500, outputCut: false });
    const big = await h.json('GET', `/v1/batches/${batchId}/executions/${deviceIds[1]}`);
    expect(big.body.stderr).toHaveLength(5000);
  });

  it('answers 404 for a device not in the batch and for an unknown batch', async () => {
    const other = await h.json('GET', `/v1/batches/${batchId}/executions/${randomUUID()}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    expect((await h.json('GET', `/v1/batches/${randomUUID()}/executions/${deviceIds[0]}`)).status).toBe(404);
  });
});
