// Workflow logic on the real Temporal dev server and real PostgreSQL. The agent side is a scripted
import path from 'node:path';
// activity on a gateway task queue (the real gateway and agents are covered by test/e2e): the command
// text says what the "device" does: "ok", "fail", or "sleep <ms>".
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batches, executions } from '../../src/db/schema';
import { createLogger } from '../../src/logger';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { startWorker, type RunningWorker } from '../../src/worker';
import { batchWorkflow } from '../../src/workflows';
import {
  SEARCH_ATTRIBUTES,
  WORKFLOW_TASK_QUEUE,
  batchWorkflowId,
  cancelBatchSignal,
  gatewayTaskQueue,
  progressQuery,
  type DeliverInput,
  type DeviceOutcome,
  type GatewayActivities,
} from '../../src/workflows/definitions';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertBatch, insertDevices } from '../helpers/batches';
import { createTestNamespace } from '../helpers/namespace';
import { peakOverlap } from '../helpers/overlap';

let tdb: TestDatabase;
let client: Client;
let nativeConnection: NativeConnection;
let workflowWorker: RunningWorker;
let gatewayWorker: Worker;
let gatewayRun: Promise<void>;
const gatewayId = `wf-test-${randomUUID().slice(0, 8)}`;
const spans: Array<{ executionId: string; start: number; end: number }> = [];

function scriptedGateway(): GatewayActivities {
  return {
    async deliverToAgent({ executionId }: DeliverInput): Promise<DeviceOutcome> {
      const [row] = await tdb.handle.db
        .select({ action: batches.action, status: executions.status, exitCode: executions.exitCode })
        .from(executions)
        .innerJoin(batches, eq(batches.id, executions.batchId))
        .where(eq(executions.id, executionId));
      if (!row) throw new Error('unknown execution');
      const start = Date.now();
      const command = row.action.command;
      let status: DeviceOutcome['status'] = 'succeeded';
      let exitCode: number | null = 0;
      if (command === 'fail') {
        status = 'failed';
        exitCode = 1;
      } else if (command.startsWith('sleep ')) {
        const ms = Number(command.slice(6));
        const ctx = Context.current();
        const until = Date.now() + ms;
        while (Date.now() < until && !ctx.cancellationSignal.aborted) {
          ctx.heartbeat();
          await ctx.sleep(Math.min(100, until - Date.now())).catch(() => undefined);
        }
        if (ctx.cancellationSignal.aborted) {
          status = 'cancelled';
          exitCode = null;
        }
      }
      const end = Date.now();
      spans.push({ executionId, start, end });
      await tdb.handle.db
        .update(executions)
        .set({ status, exitCode, startedAt: new Date(start), completedAt: new Date(end) })
        .where(and(eq(executions.id, executionId), sql`${executions.status} not in ('succeeded','failed','timed_out','cancelled','undeliverable','skipped')`));
      return { status, exitCode };
    },
  };
}

async function statusesOf(batchId: string): Promise<Record<string, number>> {
  const rows = await tdb.handle.db
    .select({ status: executions.status, n: sql<number>`count(*)::int` })
    .from(executions)
    .where(eq(executions.batchId, batchId))
    .groupBy(executions.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

const maxOverlap = (ids: Set<string>): number => peakOverlap(spans.filter((s) => ids.has(s.executionId)));

beforeAll(async () => {
  installTemporalRuntime();
  tdb = await createTestDatabase();
  const address = inject('temporalAddress');
  const namespace = await createTestNamespace(address, 'wf');
  client = new Client({ connection: await Connection.connect({ address }), namespace });
  nativeConnection = await NativeConnection.connect({ address });
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../../src/workflows/index.ts'),
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  workflowWorker = await startWorker({
    connection: nativeConnection,
    namespace,
    db: tdb.handle.db,
    heartbeatMs: 3_600_000,
    logger: createLogger('test-worker', 'warn'),
    workflowBundle: bundle,
  });
  gatewayWorker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue: gatewayTaskQueue(gatewayId),
    activities: scriptedGateway(),
    maxConcurrentActivityTaskExecutions: 500,
  });
  gatewayRun = gatewayWorker.run();
});

afterAll(async () => {
  gatewayWorker?.shutdown();
  await gatewayRun?.catch(() => undefined);
  await workflowWorker?.stop();
  await nativeConnection?.close();
  await tdb?.drop();
});

async function run(n: number, command: string, strategy: { mode: 'parallel' | 'sequential'; concurrency: number; maxFailures: number | null }) {
  const devs = await insertDevices(tdb.handle.db, n, { online: { gatewayId } });
  const b = await insertBatch(tdb.handle.db, devs, { command, strategy });
  const handle = await client.workflow.start(batchWorkflow, {
    workflowId: batchWorkflowId(b.batchId),
    taskQueue: WORKFLOW_TASK_QUEUE,
    args: [b.input],
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTES.batchId, value: b.batchId },
      { key: SEARCH_ATTRIBUTES.owner, value: 'admin' },
      { key: SEARCH_ATTRIBUTES.status, value: 'running' },
    ],
  });
  return { ...b, devs, handle };
}

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
    const order = spans.filter((s) => executionIds.includes(s.executionId)).sort((a, b) => a.start - b.start).map((s) => s.executionId);
    expect(order).toEqual(executionIds);
    expect(maxOverlap(new Set(executionIds))).toBe(1);
  });

  it('stops dispatching once failures exceed maxFailures and skips the rest', async () => {
    const { handle, batchId } = await run(10, 'fail', { mode: 'sequential', concurrency: 1, maxFailures: 2 });
    const result = await handle.result();
    expect(result.status).toBe('stopped');
    expect(await statusesOf(batchId)).toEqual({ failed: 3, skipped: 7 });
    const [row] = await tdb.handle.db.select().from(batches).where(eq(batches.id, batchId));
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
    const [row] = await tdb.handle.db.select().from(batches).where(eq(batches.id, batchId));
    expect(row?.status).toBe('cancelled');
  });

  it('continues as new past 1,000 children and still completes every device', async () => {
    const { handle, batchId } = await run(1100, 'ok', { mode: 'parallel', concurrency: 200, maxFailures: null });
    const result = await handle.result();
    expect(result.status).toBe('succeeded');
    expect(await statusesOf(batchId)).toEqual({ succeeded: 1100 });
    const runs: string[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowId = '${batchWorkflowId(batchId)}'` })) runs.push(wf.runId);
    expect(runs.length).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
