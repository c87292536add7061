// Waves, health checks, approval, pause and resume in batchWorkflow, on the real Temporal dev server and
// real PostgreSQL with the agent side scripted (see test/helpers/scripted-stack.ts).
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batches } from '../../src/db/schema';
import type { StoredStrategy } from '../../src/domain/batch';
import { SEARCH_ATTRIBUTES, pauseBatchSignal, progressQuery, resumeBatchSignal, cancelBatchSignal } from '../../src/workflows/definitions';
import { startScriptedStack, type ScriptedStack, type Span } from '../helpers/scripted-stack';

let s: ScriptedStack;

beforeAll(async () => {
  s = await startScriptedStack(inject('temporalAddress'), 'waves');
});

afterAll(async () => {
  await s?.stop();
});

const check = (command: string) => ({ type: 'command' as const, command, shell: 'sh' as const, timeoutSec: 30 });

function waves(size: number, w: Partial<NonNullable<StoredStrategy['waves']>> = {}): Omit<StoredStrategy, 'requested'> {
  return {
    mode: 'waves',
    concurrency: size,
    maxFailures: null,
    waves: { size, pauseBetweenSec: 0, maxFailuresPerWave: null, approveAfterFirstWave: false, healthCheck: null, ...w },
  };
}

/** The batch's spans grouped by wave (devices are named in target order). */
function spansByWave(executionIds: string[], size: number): Span[][] {
  const out: Span[][] = [];
  executionIds.forEach((id, i) => {
    const span = s.spans.find((x) => x.executionId === id);
    if (span) (out[Math.floor(i / size)] ??= []).push(span);
  });
  return out;
}

const batchRow = async (id: string) => (await s.tdb.handle.orm.select().from(batches).where(eq(batches.id, id)))[0];
const healthChecksOf = (id: string) =>
  s.tdb.handle.orm.select().from(batches).where(and(eq(batches.parentBatchId, id), eq(batches.purpose, 'health_check'))).orderBy(asc(batches.createdAt));

describe('waves', () => {
  it('runs waves of waveSize one after another, pausing between them, with a passing health check per wave', async () => {
    const { handle, batchId, executionIds } = await s.run(7, 'sleep 200', waves(3, { pauseBetweenSec: 1, healthCheck: check('ok') }));
    const result = await handle.result();
    expect(result.status).toBe('succeeded');
    const byWave = spansByWave(executionIds, 3);
    expect(byWave.map((w) => w.length)).toEqual([3, 3, 1]);
    for (let i = 1; i < byWave.length; i++) {
      const previousEnd = Math.max(...byWave[i - 1]!.map((x) => x.end));
      const start = Math.min(...byWave[i]!.map((x) => x.start));
      // No wave starts before the previous one ended, and not before pauseBetweenWavesSec after it.
      expect(start - previousEnd).toBeGreaterThanOrEqual(1000);
    }
    const checks = await healthChecksOf(batchId);
    expect(checks.map((c) => c.targetCount)).toEqual([3, 3, 1]);
    expect(checks.every((c) => c.status === 'succeeded')).toBe(true);
  });

  it('stops after a wave with more failures than maxFailuresPerWave; later waves are skipped', async () => {
    // The 5th device (wave 2) fails.
    const { handle, batchId } = await s.run(9, (names) => `sleep 100 failOn ${names[4]}`, waves(3, { maxFailuresPerWave: 0 }));
    const result = await handle.result();
    expect(result.status).toBe('stopped');
    expect(await s.statusesOf(batchId)).toEqual({ succeeded: 5, failed: 1, skipped: 3 });
    expect((await batchRow(batchId))?.error).toMatch(/wave 2: 1 failures \(maxFailuresPerWave 0\)/);
  });

  it('a failing health check counts as failures of its wave and stops the batch', async () => {
    const { handle, batchId } = await s.run(6, 'ok', waves(2, { maxFailuresPerWave: 1, healthCheck: check('fail') }));
    const result = await handle.result();
    expect(result.status).toBe('stopped');
    // The wave's devices themselves succeeded; their checks failed (2 > 1); waves 2 and 3 never ran.
    expect(await s.statusesOf(batchId)).toEqual({ succeeded: 2, skipped: 4 });
    const checks = await healthChecksOf(batchId);
    expect(checks).toHaveLength(1);
    expect(checks[0]?.status).toBe('failed');
    expect(await s.statusesOf(checks[0]!.id)).toEqual({ failed: 2 });
  });

  it('counts wave failures towards the batch-wide maxFailures too', async () => {
    const { handle, batchId } = await s.run(6, (n) => `ok failOn ${n[0]},${n[2]}`, { ...waves(2, { maxFailuresPerWave: 1 }), maxFailures: 1 });
    const result = await handle.result();
    // One failure per wave is allowed, but the second one overall exceeds maxFailures 1.
    expect(result.status).toBe('stopped');
    expect(await s.statusesOf(batchId)).toEqual({ succeeded: 2, failed: 2, skipped: 2 });
    expect((await batchRow(batchId))?.error).toMatch(/maxFailures 1/);
  });

  it('waits in paused after the first wave until resumed (approveAfterFirstWave)', async () => {
    const { handle, batchId, executionIds } = await s.run(4, 'sleep 100', waves(2, { approveAfterFirstWave: true }));
    await expect.poll(async () => (await handle.query(progressQuery)).paused, { timeout: 30_000 }).toBe('approval');
    await expect.poll(async () => (await batchRow(batchId))?.status, { timeout: 10_000 }).toBe('paused');
    await expect.poll(async () => (await handle.describe()).typedSearchAttributes.get(SEARCH_ATTRIBUTES.status), { timeout: 10_000 }).toBe('paused');
    await new Promise((r) => setTimeout(r, 1500));
    expect(spansByWave(executionIds, 2).flat()).toHaveLength(2);
    const progress = await handle.query(progressQuery);
    expect(progress.wave).toEqual({ index: 2, count: 2, size: 2, failures: 0 });
    const resumedAt = Date.now();
    await handle.signal(resumeBatchSignal, { by: 'test' });
    expect((await handle.result()).status).toBe('succeeded');
    const second = spansByWave(executionIds, 2)[1]!;
    expect(second.every((x) => x.start >= resumedAt)).toBe(true);
  });
});

describe('pause and resume', () => {
  it('stops dispatching while paused, lets running devices finish, and continues on resume', async () => {
    const { handle, batchId, executionIds } = await s.run(8, 'sleep 600', { mode: 'parallel', concurrency: 2, maxFailures: null });
    await expect.poll(async () => (await handle.query(progressQuery)).inFlight, { timeout: 30_000 }).toBe(2);
    await handle.signal(pauseBatchSignal, { by: 'test' });
    await expect.poll(async () => (await batchRow(batchId))?.status, { timeout: 10_000 }).toBe('paused');
    const startedWhenPaused = (await handle.query(progressQuery)).started;
    expect(startedWhenPaused).toBeLessThan(8);
    // The devices dispatched before the pause finish; nothing new is dispatched while paused.
    await expect.poll(async () => (await handle.query(progressQuery)).inFlight, { timeout: 10_000 }).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    const mine = (): Span[] => s.spans.filter((x) => executionIds.includes(x.executionId));
    const before = mine();
    expect(before).toHaveLength(startedWhenPaused);
    expect((await handle.query(progressQuery)).started).toBe(startedWhenPaused);
    expect((await handle.describe()).typedSearchAttributes.get(SEARCH_ATTRIBUTES.status)).toBe('paused');
    expect((await handle.query(progressQuery)).paused).toBe('operator');
    const resumedAt = Date.now();
    await handle.signal(resumeBatchSignal, { by: 'test' });
    await expect.poll(async () => (await batchRow(batchId))?.status, { timeout: 10_000 }).not.toBe('paused');
    expect((await handle.result()).status).toBe('succeeded');
    const after = mine().filter((x) => !before.includes(x));
    expect(after).toHaveLength(8 - before.length);
    expect(after.every((x) => x.start >= resumedAt)).toBe(true);
  });

  it('cancels a paused batch', async () => {
    const { handle, batchId } = await s.run(5, 'sleep 200', { mode: 'parallel', concurrency: 1, maxFailures: null });
    await handle.signal(pauseBatchSignal, { by: 'test' });
    await expect.poll(async () => (await batchRow(batchId))?.status, { timeout: 10_000 }).toBe('paused');
    await handle.signal(cancelBatchSignal, { reason: 'test' });
    expect((await handle.result()).status).toBe('cancelled');
    const counts = await s.statusesOf(batchId);
    expect((counts.cancelled ?? 0) + (counts.succeeded ?? 0)).toBe(5);
    expect(counts.cancelled).toBeGreaterThanOrEqual(4);
  });

  it('still ends a paused batch at its deadline', async () => {
    const { handle, batchId } = await s.run(3, 'sleep 100', { mode: 'sequential', concurrency: 1, maxFailures: null }, { deadlineSec: 3 });
    await handle.signal(pauseBatchSignal, { by: 'test' });
    const result = await handle.result();
    expect(result.status).toBe('cancelled');
    expect((await batchRow(batchId))?.error).toMatch(/deadline of 3s/);
  });
});
