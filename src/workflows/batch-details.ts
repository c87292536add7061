// What a batch workflow shows in the Temporal UI (setCurrentDetails, markdown): its state and counts in
// words, what it runs, on how many devices, for whom, and the CLI command that shows the outputs.
import { percentDone } from '../domain/progress';
import { EXECUTION_STATUSES, type ExecutionStatus } from '../domain/status';
import type { BatchProgress, BatchWorkflowInput } from './definitions';

/** "2 succeeded, 1 failed" in the order statuses are listed; "nothing finished yet" when empty. */
export function countsInWords(counts: Partial<Record<ExecutionStatus, number>>): string {
  const parts = EXECUTION_STATUSES.flatMap((s) => ((counts[s] ?? 0) > 0 ? [`${counts[s]} ${s.replace('_', ' ')}`] : []));
  return parts.length > 0 ? parts.join(', ') : 'nothing finished yet';
}

function stateOf(p: BatchProgress): string {
  if (p.stopping !== 'no') return `stopping (${p.stopping.replace('_', ' ')})`;
  if (p.paused === 'operator') return 'paused';
  if (p.paused === 'approval') return 'paused: waiting for approval (resume)';
  return 'running';
}

function about(input: BatchWorkflowInput): string[] {
  return [
    `command: ${input.summary}`,
    `targets: ${input.targetCount} device${input.targetCount === 1 ? '' : 's'}, owner: ${input.owner}`,
    `outputs: \`flotilla batches show ${input.batchId}\``,
  ];
}

export function runningBatchDetails(input: BatchWorkflowInput, p: BatchProgress): string {
  const wave = p.wave ? `, wave ${p.wave.index}/${p.wave.count}` : '';
  const head = `**${stateOf(p)}**: ${countsInWords(p.counts)} of ${p.targetCount} (${p.percent}%), ${p.inFlight} running${wave}`;
  return [head, ...about(input)].join('\n\n');
}

export function finishedBatchDetails(input: BatchWorkflowInput, status: string, counts: Partial<Record<ExecutionStatus, number>>): string {
  const done = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  const head = `**${status}**: ${countsInWords(counts)} of ${input.targetCount} (${percentDone(done, input.targetCount)}%)`;
  return [head, ...about(input)].join('\n\n');
}
