// How an execution's own status follows from its steps' results. Pure: used by the agent (to fill
// the result frame) and by the gateway (to store what it was sent as one coherent row).
import type { AgentResultStatus, StepStatus } from './status';

export interface StepOutcome {
  status: StepStatus;
  exitCode: number | null;
  error: string | null;
}

export interface ExecutionOutcome {
  status: AgentResultStatus;
  exitCode: number | null;
  error: string | null;
}

/**
 * The rule: the first step (in step order) that was cancelled, or that failed or timed out without
 * `continueOnError`, decides the execution: its status, its exit code, its error prefixed with the
 * step's number (a lone step's error as it is). When there is none, the execution succeeded with exit code 0.
 */
export function executionOutcome(steps: readonly StepOutcome[], continueOnError: readonly boolean[]): ExecutionOutcome {
  for (const [i, s] of steps.entries()) {
    if (s.status === 'succeeded' || s.status === 'skipped') continue;
    if (s.status !== 'cancelled' && continueOnError[i] === true) continue;
    if (steps.length === 1) return { status: s.status, exitCode: s.exitCode, error: s.error };
    const detail = s.error ?? (s.exitCode === null ? s.status : `exit code ${s.exitCode}`);
    return { status: s.status, exitCode: s.exitCode, error: `step ${i + 1}: ${detail}` };
  }
  return { status: 'succeeded', exitCode: 0, error: null };
}

/** In sequential mode, whether a step with this outcome ends the run (the rest are skipped). */
export function endsRun(s: StepOutcome, continueOnError: boolean | undefined): boolean {
  if (s.status === 'succeeded') return false;
  return s.status === 'cancelled' || continueOnError !== true;
}
