// A stored batch row as its workflow's input: ids, resolved strategy and a short summary, never the
// action itself (the gateway reads it from PostgreSQL) nor any env value.
import { describeWork, workOf, workTimeoutSec } from '../domain/work';
import type { BatchRow } from '../db/schema';
import type { BatchWorkflowInput, ResolvedStrategy } from '../workflows/definitions';

function resolvedStrategy(s: BatchRow['strategy']): ResolvedStrategy {
  const base = { mode: s.mode, concurrency: s.concurrency, maxFailures: s.maxFailures };
  if (!s.waves) return base;
  const { healthCheck, ...waves } = s.waves;
  return { ...base, waves: { ...waves, healthCheck: healthCheck !== null } };
}

export function workflowInput(row: BatchRow): BatchWorkflowInput {
  const work = workOf(row);
  return {
    batchId: row.id,
    owner: row.owner,
    targetCount: row.targetCount,
    strategy: resolvedStrategy(row.strategy),
    deliveryTimeoutSec: row.deliveryTimeoutSec,
    deadlineSec: row.deadlineSec ?? null,
    // The whole run on a device: every step's timeout (sequential) or the longest (parallel).
    timeoutSec: workTimeoutSec(work),
    summary: describeWork(work),
  };
}
