// Database activities the workflows call (as local activities) on the workflow worker.
import type { Database } from '../db/client';
import * as state from '../db/queries/execution-state';
import type { DbActivities } from '../workflows/definitions';

export interface DbActivityDeps {
  db: Database;
  /** A device whose last heartbeat is older than this is treated as offline. */
  presenceStaleMs: number;
}

export function createDbActivities({ db, presenceStaleMs }: DbActivityDeps): DbActivities {
  return {
    markBatchRunning: (batchId) => state.markBatchStarted(db, batchId),
    loadTargets: (batchId, fromSeq, limit) => state.loadTargets(db, batchId, fromSeq, limit),
    checkPresence: (executionId) => state.checkPresence(db, executionId, presenceStaleMs),
    finishExecution: (executionId, status, error) => state.finishExecution(db, executionId, status, error),
    finishBatch: (input) => state.finishBatch(db, input),
  };
}
