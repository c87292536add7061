// Starting a batch as POST /v1/batches and a retry do: create it through the one createBatch path, then
// start its workflow. With an Idempotency-Key a repeated request answers the batch it started before
// (starting its workflow if a crash came between the insert and the start), or 409 for another body.
import type { Client } from '@temporalio/client';
import { isUniqueViolation } from '../db/errors';
import { batchDeviceIds, findBatchByIdempotencyKey } from '../db/queries/batches';
import type { BatchRow } from '../db/schema';
import type { BatchRequest } from '../domain/batch';
import { DomainError, TemporalUnavailable } from '../domain/errors';
import { isActiveBatchStatus } from '../domain/status';
import type { Logger } from '../logger';
import { createBatch, type CreateBatchDeps, type CreateBatchInput, type CreatedBatch } from './create-batch';
import { requestHash } from './request-hash';
import { startBatchWorkflow } from './start-workflow';

export interface SubmitBatchDeps extends CreateBatchDeps {
  temporal: Client;
  logger: Logger;
}

export interface SubmittedBatch extends CreatedBatch {
  /** True when an earlier request with the same Idempotency-Key made this batch. */
  replayed: boolean;
}

async function ensureStarted(deps: SubmitBatchDeps, row: BatchRow): Promise<void> {
  try {
    await startBatchWorkflow(deps.temporal, row);
  } catch (err) {
    deps.logger.error({ err, batchId: row.id }, 'could not start the batch workflow');
    const message = 'the batch is stored but its workflow could not be started; retry with the same Idempotency-Key';
    throw new TemporalUnavailable(message, { batchId: row.id }, { cause: err });
  }
}

/** Creates the batch and starts its workflow. */
export async function createAndStartBatch(deps: SubmitBatchDeps, input: CreateBatchInput): Promise<CreatedBatch> {
  const created = await createBatch(deps, input);
  await ensureStarted(deps, created.row);
  return created;
}

/** The batch an earlier request with the same key made: the same batch, or 409 for another body. */
async function replay(deps: SubmitBatchDeps, row: BatchRow, hash: string): Promise<SubmittedBatch> {
  if (row.requestHash !== hash) {
    throw new DomainError(409, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request', { batchId: row.id });
  }
  // Covers a crash between the insert and the start; a finished batch's workflow is never started again.
  if (isActiveBatchStatus(row.status)) await ensureStarted(deps, row);
  return { row, deviceIds: await batchDeviceIds(deps.db, row.id), replayed: true };
}

export async function submitBatch(
  deps: SubmitBatchDeps,
  input: { owner: string; request: BatchRequest; idempotencyKey: string | undefined },
): Promise<SubmittedBatch> {
  const { db } = deps;
  const { owner, request, idempotencyKey: key } = input;
  const hash = requestHash(request, deps.secretKey);
  if (key !== undefined) {
    const seen = await findBatchByIdempotencyKey(db, owner, key);
    if (seen) return replay(deps, seen, hash);
  }
  try {
    const created = await createAndStartBatch(deps, { owner, request, idempotencyKey: key ?? null, requestHash: hash });
    return { ...created, replayed: false };
  } catch (err) {
    // A concurrent request with the same key won the insert: answer its batch.
    if (key === undefined || !isUniqueViolation(err, 'batches_idempotency_key')) throw err;
    const winner = await findBatchByIdempotencyKey(db, owner, key);
    if (!winner) throw err;
    return replay(deps, winner, hash);
  }
}
