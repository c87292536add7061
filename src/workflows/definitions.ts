// Names shared by workflows, workers, the API and the CLI: task queues, workflow ids, signals,
// queries, search attributes, and the shapes that cross the workflow/activity boundary.
// Keep every payload here small: outputs never enter Temporal history.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ExecutionMode } from '../domain/batch';
import type { BatchStatus, ExecutionStatus, FinalExecutionStatus } from '../domain/status';
import type { ResolvedWaves } from '../domain/waves';

export const WORKFLOW_TASK_QUEUE = 'flotilla-workflows';

/** Each gateway process polls its own queue, so an activity runs where the device's socket is. */
export function gatewayTaskQueue(gatewayId: string): string {
  return `flotilla-gateway-${gatewayId}`;
}

export function batchWorkflowId(batchId: string): string {
  return `batch-${batchId}`;
}

export function deviceWorkflowId(batchId: string, deviceId: string): string {
  return `batch-${batchId}-device-${deviceId}`;
}

/** Temporal schedule id of a Flotilla schedule; also the prefix of its runs' workflow ids (Temporal adds the time). */
export const SCHEDULE_ID_PREFIX = 'schedule-';
export function scheduleTemporalId(name: string, scheduleId: string): string {
  return `${SCHEDULE_ID_PREFIX}${name}-${scheduleId.slice(0, 8)}`;
}

/** The SQLite dev server holds at most 10 custom Keyword attributes: keep this list within them. */
export const SEARCH_ATTRIBUTES = {
  batchId: defineSearchAttributeKey('FlotillaBatchId', SearchAttributeType.KEYWORD),
  owner: defineSearchAttributeKey('FlotillaOwner', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('FlotillaStatus', SearchAttributeType.KEYWORD),
  deviceId: defineSearchAttributeKey('FlotillaDeviceId', SearchAttributeType.KEYWORD),
  deviceName: defineSearchAttributeKey('FlotillaDeviceName', SearchAttributeType.KEYWORD),
  scheduleId: defineSearchAttributeKey('FlotillaScheduleId', SearchAttributeType.KEYWORD),
} as const;

/** name=TYPE pairs for `temporal server start-dev --search-attribute` and the operator API. */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: ReadonlyArray<{ name: string; type: 'Keyword' }> = Object.values(
  SEARCH_ATTRIBUTES,
).map((k) => ({ name: k.name, type: 'Keyword' as const }));

export interface CancelRequest {
  reason: string;
}
/** Stop dispatching, cancel running devices (their agents kill the commands). */
export const cancelBatchSignal = defineSignal<[CancelRequest]>('cancel');

/** Stop dispatching new devices (running ones finish); the batch shows `paused` until resumed. */
export const pauseBatchSignal = defineSignal<[PauseRequest]>('pause');
/** Dispatch again after a pause, or approve the next wave after the first. */
export const resumeBatchSignal = defineSignal<[PauseRequest]>('resume');
export interface PauseRequest {
  /** Who asked, for the logs (never a secret). */
  by: string;
}

export interface DeviceConnected {
  gatewayId: string;
}
/** Sent by a gateway to a waiting device workflow when its agent connects. */
export const deviceConnectedSignal = defineSignal<[DeviceConnected]>('deviceConnected');

export interface BatchProgress {
  batchId: string;
  targetCount: number;
  /** Devices whose child workflow has been started so far. */
  started: number;
  inFlight: number;
  completed: number;
  failures: number;
  counts: Partial<Record<FinalExecutionStatus, number>>;
  stopping: 'no' | 'threshold' | 'wave_threshold' | 'cancel' | 'deadline';
  percent: number;
  /** Set while no new device is dispatched: by an operator, or waiting for approval after the first wave. */
  paused: 'operator' | 'approval' | null;
  /** Waves mode only: the current wave (1-based), how many there are, and its failures so far. */
  wave: { index: number; count: number; size: number; failures: number } | null;
}
export const progressQuery = defineQuery<BatchProgress>('progress');

export interface ResolvedStrategy {
  mode: ExecutionMode;
  concurrency: number;
  maxFailures: number | null;
  /** Waves mode only (a new input field: executions started before waves existed never have it). */
  waves?: ResolvedWaves;
}

/** Carried across continue-as-new so a 10,000-device batch stays within history limits. */
export interface BatchCarry {
  nextSeq: number;
  started: number;
  failures: number;
  counts: Partial<Record<FinalExecutionStatus, number>>;
  deadlineAt: number | null;
  stopping: BatchProgress['stopping'];
  /** Absent in carries written before pause and waves existed. */
  paused?: BatchProgress['paused'];
  /** Whether the batch row and search attribute currently show `paused`. */
  shownPaused?: boolean;
  /** Waves completed so far (the next run starts the following wave). */
  wavesDone?: number;
}

export interface BatchWorkflowInput {
  batchId: string;
  owner: string;
  targetCount: number;
  strategy: ResolvedStrategy;
  deliveryTimeoutSec: number;
  deadlineSec: number | null;
  timeoutSec: number;
  /** Short description of the action for child summaries (no env values). */
  summary: string;
  carry?: BatchCarry;
  /** Set on a health check batch: the wave it checks, for its summary. */
  healthCheckOf?: { batchId: string; wave: number };
}

export interface BatchWorkflowResult {
  batchId: string;
  status: BatchStatus;
  counts: Partial<Record<ExecutionStatus, number>>;
}

export interface DeviceWorkflowInput {
  batchId: string;
  executionId: string;
  deviceId: string;
  /** For the Temporal UI; absent in executions started before it was passed. */
  deviceName?: string;
  deliveryTimeoutSec: number;
  timeoutSec: number;
}

export interface DeviceOutcome {
  status: FinalExecutionStatus;
  exitCode: number | null;
  /**
   * Why it did not succeed, in one short line (src/domain/outcome-error.ts): null for a success. Absent in
   * outcomes recorded before it existed.
   */
  error?: string | null;
}

// ---- Activity contracts (implemented in src/activities and src/agent-gateway) ----

export interface TargetRef {
  executionId: string;
  deviceId: string;
  deviceName: string;
  seq: number;
}

export type Presence =
  | { kind: 'final'; outcome: DeviceOutcome }
  | { kind: 'online'; gatewayId: string; status: ExecutionStatus }
  | { kind: 'offline'; status: ExecutionStatus };

export interface HealthCheckInput {
  parentBatchId: string;
  /** Chosen by the workflow (deterministic), so a retried activity never creates a second batch. */
  healthCheckBatchId: string;
  wave: number;
  /** The wave's devices: parent executions with seq in [fromSeq, toSeq). */
  fromSeq: number;
  toSeq: number;
}

export interface FinishBatchInput {
  batchId: string;
  /** What devices never dispatched end as. */
  leftover: 'skipped' | 'cancelled';
  /** Set when the batch was cancelled or stopped, for the batch row and the search attribute. */
  reason: 'threshold' | 'cancel' | 'deadline' | null;
  error: string | null;
}

/** Database activities, run by the worker. */
export interface DbActivities {
  markBatchRunning(batchId: string): Promise<void>;
  /** Shows the batch `paused` or `running` again, unless it has already finished. */
  setBatchPaused(batchId: string, paused: boolean): Promise<void>;
  /**
   * Stores a health check batch (purpose health_check, linked to its parent) over the wave's devices that
   * succeeded, and answers its workflow input; null when no device of the wave succeeded.
   */
  createHealthCheck(input: HealthCheckInput): Promise<BatchWorkflowInput | null>;
  loadTargets(batchId: string, fromSeq: number, limit: number): Promise<TargetRef[]>;
  /** Current state of one execution; marks it delayed when its device is offline. */
  checkPresence(executionId: string): Promise<Presence>;
  /**
   * checkPresence, and when the device is connected to a gateway of the worker's own process, the delivery
   * itself: the answer is `final` when the command ended within BRIEF_DELIVERY_MS, else `online` (the
   * workflow follows up on that gateway's queue). Elsewhere it is checkPresence.
   */
  checkAndDeliverHere(input: DeliverInput): Promise<Presence>;
  /** A command checkAndDeliverHere left running: the gateway of this process asks the agent to kill it. */
  stopHere(input: DeliverInput, gatewayId: string): Promise<void>;
  /** Writes a final status unless one is already stored; answers the stored outcome. */
  finishExecution(executionId: string, status: FinalExecutionStatus, error: string | null): Promise<DeviceOutcome>;
  /** Ends whatever is not final, computes and stores the batch status. */
  finishBatch(input: FinishBatchInput): Promise<BatchWorkflowResult>;
}

export interface DeliverInput {
  executionId: string;
  deviceId: string;
}

/**
 * How long checkAndDeliverHere waits for the agent's result. The device workflow sees a cancel only once
 * it returns, so this is also the longest a cancel waits; quick commands (most fleet checks) end within it.
 */
export const BRIEF_DELIVERY_MS = 1_000;

/** Run by the gateway that holds the device's socket, on gatewayTaskQueue(gatewayId). */
export interface GatewayActivities {
  /** Sends the execution to the agent, heartbeats until its result is stored, answers the outcome. */
  deliverToAgent(input: DeliverInput): Promise<DeviceOutcome>;
}

// ---- Scheduled runs ----

/** The whole input of a schedule's action: everything else is read from PostgreSQL at run time. */
export interface ScheduledBatchInput {
  scheduleId: string;
}

export type ScheduledRunStart =
  | { kind: 'batch'; batch: BatchWorkflowInput; scheduleName: string }
  /** Nothing to run (no device matched, the schedule was deleted...): recorded as a failed run. */
  | { kind: 'failed'; reason: string };

export interface ScheduledBatchResult {
  scheduleId: string;
  batchId: string | null;
  status: BatchStatus | 'failed';
  error: string | null;
}

/** Run by the workflow worker as a local activity. */
export interface ScheduleActivities {
  /** Creates (once per run workflow id) the run's batch from the stored request, resolving targets now. */
  startScheduledRun(scheduleId: string, runWorkflowId: string): Promise<ScheduledRunStart>;
}

/** ApplicationFailure types thrown by deliverToAgent that the device workflow handles. */
export const DELIVERY_ERRORS = {
  notConnected: 'AgentNotConnected',
  disconnected: 'AgentDisconnected',
} as const;
