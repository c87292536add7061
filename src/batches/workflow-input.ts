// A stored batch row as its workflow's input: ids, resolved strategy and a short summary, never the
// action itself (the gateway reads it from PostgreSQL) nor any env value.
import { describeAction } from '../domain/batch';
import type { BatchRow } from '../db/schema';
import type { BatchWorkflowInput, ResolvedStrategy } from '../workflows/definitions';

function resolvedStrategy(s: BatchRow['strategy']): ResolvedStrategy {
  const base = { mode: s.mode, concurrency: s.concurrency, maxFailures: s.maxFailures };
  if (!s.waves) return base;
  const { healthCheck, ...waves } = s.waves;
  return { ...base, waves: { ...waves, healthCheck: healthCheck !== null } };
}

export function workflowInput(row: BatchRow): BatchWorkflowInput {
  return {
    batchId: row.id,
    owner: row.owner,
    targetCount: row.targetCount,
    strategy: resolvedStrategy(row.strategy),
    deliveryTimeoutSec: row.deliveryTimeoutSec,
    deadlineSec: row.deadlineSec ?? null,
    timeoutSec: row.action.timeoutSec,
    summary: describeAction(row.action),
  };
}
