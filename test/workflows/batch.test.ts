// Workflow logic on the real Temporal dev server and real PostgreSQL. The agent side is a scripted
// activity on a gateway task queue (the real gateway and agents are covered by test/e2e): the command
// text says what the "device" does: "ok", "fail", or "sleep <ms>".
import { WorkflowFailedError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batches } from '../../src/db/schema';
import { temporal } from '@temporalio/proto';
import { MAX_STARTING } from '../../src/workflows/batch-run';
import { SEARCH_ATTRIBUTES, batchWorkflowId, cancelBatchSignal, progressQuery } from '../../src/workflows/definitions';
import { peakOverlap } from '../helpers/overlap';
import { startScriptedStack, type ScriptedStack } from '../helpers/scripted-stack';

let s: ScriptedStack;

const maxOverlap = (ids: Set<string>): number => peakOverlap(s.spans.filter((x) => ids.has(x.executionId)));

beforeAll(async () => {
  s = await startScriptedStack(inject('temporalAddress'), 'wf');
});

afterAll(async () => {
  await s?.stop();
});

const run: ScriptedStack['run'] = (...args) => s.run(...args);
const statusesOf = (batchId: string): Promise<Record<string, number>> => s.statusesOf(batchId);

describe('batchWorkflow', () => {
  it('keeps at most `concurrency` devices in flight and fills the window', async () => {
    const { handle, executionIds, batchId } = await run(12, 'sleep 300', { mode: 'parallel', concurrency: 4, maxFailures: null });
    const result = await handle.result();
    expect(result.status).toBe('succeeded');
    expect(await statusesOf(batchId)).toEqual({ succeeded: 12 });
    expect(maxOverlap(new Set(executionIds))).toBe(4);
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status)).toBe('succeeded');
  });

  it('runs sequential batches one device at a time in target order', async () => {
    const { handle, executionIds } = await run(5, 'sleep 50', { mode: 'sequential', concurrency: 1, maxFailures: null });
    await handle.result();
    const order = s.spans.filter((s) => executionIds.includes(s.executionId)).sort((a, b) => a.start - b.start).map((s) => s.executionId);
    expect(order).toEqual(executionIds);
    expect(maxOverlap(new Set(executionIds))).toBe(1);
  });

  it('stops dispatching once failures exceed maxFailures and skips the rest', async () => {
    const { handle, batchId } = await run(10, 'fail', { mode: 'sequential', concurrency: 1, maxFailures: 2 });
    const result = await handle.result();
    expect(result.status).toBe('stopped');
    expect(await statusesOf(batchId)).toEqual({ failed: 3, skipped: 7 });
    const [row] = await s.tdb.handle.orm.select().from(batches).where(eq(batches.id, batchId));
    expect(row?.status).toBe('stopped');
    expect(row?.completedAt).toBeInstanceOf(Date);
  });

  it('cancels running devices and ends the rest cancelled on the cancel signal', async () => {
    const { handle, batchId } = await run(6, 'sleep 20000', { mode: 'parallel', concurrency: 2, maxFailures: null });
    await expect.poll(async () => (await handle.query(progressQuery)).inFlight, { timeout: 15_000 }).toBe(2);
    await handle.signal(cancelBatchSignal, { reason: 'test' });
    const result = await handle.result();
    expect(result.status).toBe('cancelled');
    expect(await statusesOf(batchId)).toEqual({ cancelled: 6 });
  });

  it('ends as cancelled when cancelled natively through Temporal', async () => {
    const { handle, batchId } = await run(4, 'sleep 20000', { mode: 'parallel', concurrency: 4, maxFailures: null });
    await expect.poll(async () => (await handle.query(progressQuery)).inFlight, { timeout: 15_000 }).toBe(4);
    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await statusesOf(batchId)).toEqual({ cancelled: 4 });
    const [row] = await s.tdb.handle.orm.select().from(batches).where(eq(batches.id, batchId));
    expect(row?.status).toBe('cancelled');
  });

  it('continues as new past 1,000 children and still completes every device', async () => {
    const { handle, batchId } = await run(1100, 'ok', { mode: 'parallel', concurrency: 200, maxFailures: null });
    const result = await handle.result();
    expect(result.status).toBe('succeeded');
    expect(await statusesOf(batchId)).toEqual({ succeeded: 1100 });
    const runs: string[] = [];
    for await (const wf of s.client.workflow.list({ query: `WorkflowId = '${batchWorkflowId(batchId)}'` })) runs.push(wf.runId);
    expect(runs.length).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('asks Temporal for at most MAX_STARTING children at a time and still fills a larger window', async () => {
    const devices = 3 * MAX_STARTING;
    // Each device runs long enough that, even on a loaded machine where starts are slow, the later ones
    // start while the first MAX_STARTING still run.
    const { handle, batchId, executionIds } = await run(devices, 'sleep 8000', { mode: 'parallel', concurrency: devices, maxFailures: null });
    expect((await handle.result()).status).toBe('succeeded');
    expect(await statusesOf(batchId)).toEqual({ succeeded: devices });
    const { EventType } = temporal.api.enums.v1;
    let pending = 0;
    let peakPending = 0;
    for (const e of (await handle.fetchHistory()).events ?? []) {
      if (e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) peakPending = Math.max(peakPending, ++pending);
      if (e.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED || e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED) pending--;
    }
    expect(peakPending).toBeGreaterThan(0);
    expect(peakPending).toBeLessThanOrEqual(MAX_STARTING);
    // Starts are paced, not the window: far more than MAX_STARTING devices ran at once.
    expect(maxOverlap(new Set(executionIds))).toBeGreaterThan(MAX_STARTING);
  }, 120_000);
});
