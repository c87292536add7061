// How a batch ends: the final status it takes from why it ended and what its devices ended as.
import type { BatchStatus, ExecutionStatus } from './status';

/** Why a batch ended early (cancelled, past its deadline, over its failure threshold); null when every device ran. */
export type BatchEndReason = 'threshold' | 'cancel' | 'deadline' | null;

export function decideBatchStatus(counts: Partial<Record<ExecutionStatus, number>>, total: number, reason: BatchEndReason): BatchStatus {
  if (reason === 'cancel' || reason === 'deadline') return 'cancelled';
  if (reason === 'threshold') return 'stopped';
  const succeeded = counts.succeeded ?? 0;
  if (succeeded === total) return 'succeeded';
  if (succeeded === 0) return 'failed';
  return 'partial';
}
