// The workflow worker: runs batch, device and scheduled-run workflows with the database and schedule
// activities of src/activities. src/main/worker.ts (and the all-in-one stack) only open its connections.
import path from 'node:path';
import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { InProcessGateways } from '../agent-gateway/in-process';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { createDbActivities, createScheduleActivities } from '../activities';
import type { BatchLimits } from '../batches/create-batch';
import type { Database } from '../db/client';
import { WORKFLOW_TASK_QUEUE } from '../workflows/definitions';
import { dispatchPresenceWindowMs } from '../domain/presence';
import { DEFAULT_MAX_WINDOW, workerCapacity } from './capacity';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  db: Database;
  heartbeatMs: number;
  /** What a scheduled run's batch is held to, as POST /v1/batches is. */
  batchLimits: BatchLimits;
  logger: Logger;
  /** The process's metrics registry (batches and executions counted by the database activities). */
  metrics?: Metrics;
  /** Devices in flight at once the worker's slots and cache are sized for (FLOTILLA_MAX_WINDOW). */
  maxWindow?: number;
  /** Gateways of this process (the all-in-one): their devices get commands without an activity task. */
  gateways?: InProcessGateways;
  /** A pre-built workflow bundle (tests and the bench build it once); otherwise bundled at start. */
  workflowBundle?: WorkflowBundleOption;
}

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped (after stop() or a fatal error). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const worker = await Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: WORKFLOW_TASK_QUEUE,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath: path.join(__dirname, '../workflows/index.ts') }),
    activities: {
      ...createDbActivities({ db: deps.db, presenceStaleMs: dispatchPresenceWindowMs(deps.heartbeatMs), metrics: deps.metrics, gateways: deps.gateways }),
      ...createScheduleActivities({ db: deps.db, ...deps.batchLimits }),
    },
    ...workerCapacity(deps.maxWindow ?? DEFAULT_MAX_WINDOW),
    shutdownGraceTime: '10s',
  });
  const done = worker.run().catch((err: unknown) => {
    deps.logger.error({ err }, 'worker stopped with an error');
    throw err;
  });
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done.catch(() => undefined);
    },
  };
}
