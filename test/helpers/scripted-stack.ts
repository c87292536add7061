// Workflow tests on the real Temporal dev server and real PostgreSQL, with the agent side scripted: an
// activity on a gateway task queue does what the command text says, per device:
//   "ok" | "fail" | "sleep <ms>", optionally followed by " failOn <name,name>" (those devices fail, with
//   "<device name>: disk full" as the first line of stderr).
// Every delivery records its start/end (the "agent-side" timestamps) in `spans`.
// Why a harness of its own: the real workflow worker runs with no gateway or agent at all; a scripted
// activity stands in for the device side, so workflow logic is tested with exact, fast outcomes.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { and, eq, sql } from 'drizzle-orm';
import { batchLimitsOf } from '../../src/batches/create-batch';
import { readOutcome } from '../../src/db/queries/execution-state';
import { batches, executions } from '../../src/db/schema';
import type { StoredStrategy } from '../../src/domain/batch';
import { createLogger } from '../../src/logger';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { startWorker, type RunningWorker } from '../../src/worker';
import { batchWorkflow } from '../../src/workflows';
import {
  SEARCH_ATTRIBUTES,
  WORKFLOW_TASK_QUEUE,
  batchWorkflowId,
  gatewayTaskQueue,
  type DeliverInput,
  type DeviceOutcome,
  type GatewayActivities,
} from '../../src/workflows/definitions';
import { seedBatch, seedDevices } from './batches';
import { testConfig } from './config';
import { createTestDatabase, type TestDatabase } from './database';
import { createTestNamespace } from './namespace';

export interface Span {
  executionId: string;
  deviceName: string;
  start: number;
  end: number;
}

/** The command text, or a function of the devices' names (in target order) that makes it. */
export type Command = string | ((names: string[]) => string);

export interface ScriptedStack {
  tdb: TestDatabase;
  client: Client;
  spans: Span[];
  gatewayId: string;
  /** Online devices (offline when asked) and a batch over them, its workflow started. */
  run(n: number, command: Command, strategy: Omit<StoredStrategy, 'requested'>, extra?: RunExtra): ReturnType<typeof runBatch>;
  statusesOf(batchId: string): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

async function sleepUnlessCancelled(ms: number): Promise<boolean> {
  const ctx = Context.current();
  const until = Date.now() + ms;
  while (Date.now() < until && !ctx.cancellationSignal.aborted) {
    ctx.heartbeat();
    await ctx.sleep(Math.min(100, until - Date.now())).catch(() => undefined);
  }
  return !ctx.cancellationSignal.aborted;
}

function scriptedGateway(tdb: TestDatabase, spans: Span[]): GatewayActivities {
  return {
    async deliverToAgent({ executionId }: DeliverInput): Promise<DeviceOutcome> {
      const [row] = await tdb.handle.orm
        .select({ steps: batches.steps, deviceName: executions.deviceName })
        .from(executions)
        .innerJoin(batches, eq(batches.id, executions.batchId))
        .where(eq(executions.id, executionId));
      if (!row) throw new Error('unknown execution');
      const start = Date.now();
      const [step] = row.steps;
      const [what, failOn] = (step?.type === 'command' ? step.command : '').split(' failOn ');
      let status: DeviceOutcome['status'] = what === 'fail' || (failOn ?? '').split(',').includes(row.deviceName) ? 'failed' : 'succeeded';
      if (what?.startsWith('sleep ') && !(await sleepUnlessCancelled(Number(what.slice(6))))) status = 'cancelled';
      const exitCode = status === 'succeeded' ? 0 : status === 'failed' ? 1 : null;
      const end = Date.now();
      spans.push({ executionId, deviceName: row.deviceName, start, end });
      await tdb.handle.orm
        .update(executions)
        .set({ status, exitCode, stderr: status === 'failed' ? `${row.deviceName}: disk full\nsecond line` : '', startedAt: new Date(start), completedAt: new Date(end) })
        .where(and(eq(executions.id, executionId), sql`${executions.status} not in ('succeeded','failed','timed_out','cancelled','undeliverable','skipped')`));
      const outcome = await readOutcome(tdb.handle.orm, executionId);
      if (!outcome) throw new Error('no final status stored');
      return outcome;
    },
  };
}

export interface RunExtra {
  deadlineSec?: number;
  deliveryTimeoutSec?: number;
  /** Seed the devices offline (they never connect unless the test marks them online). */
  offline?: boolean;
}

async function runBatch(
  tdb: TestDatabase,
  client: Client,
  gatewayId: string,
  n: number,
  command: Command,
  strategy: Omit<StoredStrategy, 'requested'>,
  { offline, ...extra }: RunExtra = {},
) {
  const devs = await seedDevices(tdb.handle.orm, n, offline ? {} : { online: { gatewayId } });
  const text = typeof command === 'string' ? command : command(devs.map((d) => d.name));
  const b = await seedBatch(tdb.handle.orm, devs, { command: text, strategy, ...extra });
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

export async function startScriptedStack(address: string, prefix: string): Promise<ScriptedStack> {
  installTemporalRuntime();
  const tdb = await createTestDatabase();
  const namespace = await createTestNamespace(address, prefix);
  const client = new Client({ connection: await Connection.connect({ address }), namespace });
  const nativeConnection = await NativeConnection.connect({ address });
  const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const bundle = await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../../src/workflows/index.ts'), logger: quiet });
  const workflowWorker: RunningWorker = await startWorker({
    connection: nativeConnection,
    namespace,
    db: tdb.handle.orm,
    heartbeatMs: 3_600_000,
    batchLimits: batchLimitsOf(testConfig({ FLOTILLA_MAX_RUNNING_BATCHES: '1000', FLOTILLA_SECRET_KEY: '' })),
    logger: createLogger('test-worker', 'warn'),
    workflowBundle: bundle,
  });
  const spans: Span[] = [];
  const gatewayId = `wf-test-${randomUUID().slice(0, 8)}`;
  const gatewayWorker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue: gatewayTaskQueue(gatewayId),
    activities: scriptedGateway(tdb, spans),
    maxConcurrentActivityTaskExecutions: 500,
  });
  const gatewayRun = gatewayWorker.run();
  return {
    tdb,
    client,
    spans,
    gatewayId,
    run: (n, command, strategy, extra) => runBatch(tdb, client, gatewayId, n, command, strategy, extra),
    async statusesOf(batchId) {
      const rows = await tdb.handle.orm
        .select({ status: executions.status, n: sql<number>`count(*)::int` })
        .from(executions)
        .where(eq(executions.batchId, batchId))
        .groupBy(executions.status);
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
    async stop() {
      gatewayWorker.shutdown();
      await gatewayRun.catch(() => undefined);
      await workflowWorker.stop();
      await nativeConnection.close();
      await tdb.drop();
    },
  };
}
