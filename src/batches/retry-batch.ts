// Retry: the original must have finished; its devices in the chosen statuses become the targets of a
// new batch made by the same path as POST /v1/batches (same checks, limits, sealing), linked to it.
import { deviceIdsInStatuses, getBatch } from '../db/queries/batches';
import type { OwnerScope } from '../db/queries/ownership';
import { DomainError, notFound } from '../domain/errors';
import { isActiveBatchStatus, type FinalExecutionStatus } from '../domain/status';
import type { CreatedBatch } from './create-batch';
import { requestOf } from './request-of';
import { createAndStartBatch, type SubmitBatchDeps } from './submit-batch';

export interface RetryBatchInput {
  batchId: string;
  /** The owner of the new batch. */
  owner: string;
  /** Whose batches the caller may retry. */
  scope: OwnerScope;
  statuses: readonly FinalExecutionStatus[];
}

export async function retryBatch(deps: SubmitBatchDeps, input: RetryBatchInput): Promise<CreatedBatch> {
  const { db } = deps;
  const { batchId: id, statuses } = input;
  const row = await getBatch(db, id, input.scope);
  if (!row) throw notFound('batch', id);
  if (isActiveBatchStatus(row.status)) {
    throw new DomainError(409, 'batch_running', `batch ${id} is still ${row.status}; retry it once it has finished`, { status: row.status });
  }
  const deviceIds = await deviceIdsInStatuses(db, id, statuses);
  if (deviceIds.length === 0) {
    throw new DomainError(409, 'nothing_to_retry', `no device of batch ${id} ended in ${statuses.join(', ')}`, { statuses });
  }
  const request = requestOf(row, { deviceIds }, deps.secretKey);
  return createAndStartBatch(deps, { owner: input.owner, request, idempotencyKey: null, requestHash: null, retryOf: id });
}
