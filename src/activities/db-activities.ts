// Database activities the workflows call (as local activities) on the workflow worker.
import { workflowInput } from '../batches/workflow-input';
import type { Database } from '../db/client';
import { setBatchPaused } from '../db/queries/batch-control';
import * as state from '../db/queries/execution-state';
import { createHealthCheckBatch } from '../batches/create-health-check';
import type { DbActivities } from '../workflows/definitions';

export interface DbActivityDeps {
  db: Database;
  /** A device whose last heartbeat is older than this is treated as offline. */
  presenceStaleMs: number;
}

export function createDbActivities({ db, presenceStaleMs }: DbActivityDeps): DbActivities {
  return {
    markBatchRunning: (batchId) => state.markBatchStarted(db, batchId),
    setBatchPaused: (batchId, paused) => setBatchPaused(db, batchId, paused),
    createHealthCheck: async (input) => {
      const row = await createHealthCheckBatch(db, input);
      return row ? { ...workflowInput(row), healthCheckOf: { batchId: input.parentBatchId, wave: input.wave } } : null;
    },
    loadTargets: (batchId, fromSeq, limit) => state.loadTargets(db, batchId, fromSeq, limit),
    checkPresence: (executionId) => state.checkPresence(db, executionId, presenceStaleMs),
    finishExecution: (executionId, status, error) => state.finishExecution(db, executionId, status, error),
    finishBatch: (input) => state.finishBatch(db, input),
  };
}
