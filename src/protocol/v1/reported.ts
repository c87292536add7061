// Values an agent reports on the wire: how a command or a step ended, and which stream output came
// from. The rest of the system builds its statuses on these (src/domain/status.ts).

/** What an agent may report for a command it ran. */
export const AGENT_RESULT_STATUSES = ['succeeded', 'failed', 'timed_out', 'cancelled'] as const;
export type AgentResultStatus = (typeof AGENT_RESULT_STATUSES)[number];

/** What one step of an execution ends as; `skipped` when an earlier step ended the run. */
export const STEP_STATUSES = ['succeeded', 'failed', 'timed_out', 'cancelled', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const OUTPUT_STREAMS = ['stdout', 'stderr'] as const;
export type OutputStream = (typeof OUTPUT_STREAMS)[number];
