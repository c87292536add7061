// Statuses of a device's execution and of a batch. Pure values: safe to import from workflows.
import { AGENT_RESULT_STATUSES } from '../protocol/v1/reported';

/** An execution in one of these has ended: its status does not change any more. */
export const FINAL_EXECUTION_STATUSES = ['succeeded', 'failed', 'timed_out', 'cancelled', 'undeliverable', 'skipped'] as const;
export const EXECUTION_STATUSES = ['queued', 'delayed', 'dispatched', 'running', ...FINAL_EXECUTION_STATUSES] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export type FinalExecutionStatus = (typeof FINAL_EXECUTION_STATUSES)[number];

/** Outcomes that count towards a batch's maxFailures. */
export const FAILURE_STATUSES = ['failed', 'timed_out', 'undeliverable'] as const satisfies readonly FinalExecutionStatus[];

/** What an agent reports (a command's status, a step's status) is defined by the wire protocol. */
export { AGENT_RESULT_STATUSES, STEP_STATUSES, type AgentResultStatus, type StepStatus } from '../protocol/v1/reported';
/** Every status an agent reports for a command is a final execution status. */
const _agentResultsAreFinal: readonly FinalExecutionStatus[] = AGENT_RESULT_STATUSES;

export const BATCH_STATUSES = ['running', 'paused', 'succeeded', 'partial', 'failed', 'stopped', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** A batch in one of these has ended for good: nothing about it changes any more. */
export const FINAL_BATCH_STATUSES = ['succeeded', 'partial', 'failed', 'stopped', 'cancelled'] as const satisfies readonly BatchStatus[];

export function isFinalBatchStatus(s: string): boolean {
  return (FINAL_BATCH_STATUSES as readonly string[]).includes(s);
}

/** What a batch is for: an operator's run, or the health check of one wave of a waves batch. */
export const BATCH_PURPOSES = ['run', 'health_check'] as const;
export type BatchPurpose = (typeof BATCH_PURPOSES)[number];

/** A batch whose workflow is still going: dispatching (running) or holding new dispatches (paused). */
export const ACTIVE_BATCH_STATUSES = ['running', 'paused'] as const satisfies readonly BatchStatus[];

export function isActiveBatchStatus(s: string): boolean {
  return (ACTIVE_BATCH_STATUSES as readonly string[]).includes(s);
}

export function isFinalExecutionStatus(s: string): s is FinalExecutionStatus {
  return (FINAL_EXECUTION_STATUSES as readonly string[]).includes(s);
}

export function isFailureStatus(s: string): boolean {
  return (FAILURE_STATUSES as readonly string[]).includes(s);
}
