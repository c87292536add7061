// How big the workflow worker is: its task slots, its workflow cache and its database pool, derived from
// the largest number of device workflows it must keep in flight at once (FLOTILLA_MAX_WINDOW: one
// batch at its largest concurrency by default). The bench's bare-SDK reference imports the same values.
import { MAX_CONCURRENCY } from '../domain/batch';

/** Devices in flight at once the worker is sized for when nothing else is configured. */
export const DEFAULT_MAX_WINDOW = MAX_CONCURRENCY;

/** Workflow tasks are short (no I/O in workflow code): this many at once keeps two cores busy. */
const WORKFLOW_TASK_SLOTS = 100;
/** Database connections the worker holds at least, and at most (PostgreSQL allows 100 by default). */
const DB_POOL_MIN = 20;
const DB_POOL_MAX = 40;
/** Local activities (presence checks, status writes) each hold a connection for a few milliseconds. */
const LOCAL_ACTIVITIES_PER_CONNECTION = 25;

export interface WorkerCapacity {
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentLocalActivityExecutions: number;
  maxCachedWorkflows: number;
}

/**
 * Every device workflow of the window stays cached (no history replay on each wake-up), with as much
 * again for the batch workflows and a second batch filling in; every device of the window can run its
 * first presence check at once, so none waits for a local-activity slot inside its first workflow task.
 */
export function workerCapacity(maxWindow: number): WorkerCapacity {
  return {
    maxConcurrentWorkflowTaskExecutions: WORKFLOW_TASK_SLOTS,
    maxConcurrentLocalActivityExecutions: Math.max(WORKFLOW_TASK_SLOTS, maxWindow),
    maxCachedWorkflows: 2 * Math.max(WORKFLOW_TASK_SLOTS, maxWindow),
  };
}

/** The worker's PostgreSQL pool: enough connections for the window's local activities, within PostgreSQL's limit. */
export function workerDbPoolSize(maxWindow: number): number {
  return Math.min(DB_POOL_MAX, Math.max(DB_POOL_MIN, Math.ceil(maxWindow / LOCAL_ACTIVITIES_PER_CONNECTION)));
}
