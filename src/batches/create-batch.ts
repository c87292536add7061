// Creating a batch from a validated request: resolve targets, check them, seal the action, write the
// batch and one execution per device in one transaction. The one path for POST /v1/batches and for
// scheduled runs; it starts nothing (the caller starts the workflow, or runs it as a child).
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client';
import { getBatch, insertBatch, resolveTargets, TooManyRunningBatchesError, type NewBatch, type Target, type TargetResolution } from '../db/queries/batches';
import { missingFileIds } from '../db/queries/files';
import { ownerScopeOf } from '../db/queries/users';
import type { BatchRow } from '../db/schema';
import { oversizedTexts } from '../domain/action-size';
import { resolveStrategy, type BatchRequest } from '../domain/batch';
import { requestedSteps } from '../domain/work';
import { batchWorkflowId } from '../workflows/definitions';
import { BatchRejected } from '../domain/errors';
import { storedAction, storedWork } from './stored-action';

/** The limits every new batch is held to, and the key its secrets are sealed with. */
export interface BatchLimits {
  maxTargets: number;
  /** Largest command or script text, in bytes. */
  maxCommandBytes: number;
  /** Batches one owner may have running at once. */
  maxRunningBatches: number;
  secretKey: string | undefined;
}

export function batchLimitsOf(config: BatchLimits): BatchLimits {
  const { maxTargets, maxCommandBytes, maxRunningBatches, secretKey } = config;
  return { maxTargets, maxCommandBytes, maxRunningBatches, secretKey };
}

export interface CreateBatchDeps extends BatchLimits {
  db: Database;
}

/** What Retry-After suggests when the owner has too many running batches: batches end on no schedule. */
const RUNNING_BATCHES_RETRY_AFTER_SEC = 30;

function checkActionSize(request: Pick<BatchRequest, 'action' | 'steps'>, maxBytes: number): void {
  const details = oversizedTexts({ action: request.action, steps: request.steps }, maxBytes).map((t) => ({
    path: t.path,
    message: `must be at most ${maxBytes} bytes (FLOTILLA_MAX_COMMAND_BYTES); it has ${t.bytes}`,
  }));
  const first = details[0];
  if (first) throw new BatchRejected('command_too_large', `${first.path}: ${first.message}`, details);
}

/** Every device and group a batch request names must exist (and be the owner's). */
export function rejectUnknownTargets(r: Pick<TargetResolution, 'unknownDeviceIds' | 'unknownGroupIds'>): void {
  if (r.unknownDeviceIds.length > 0 || r.unknownGroupIds.length > 0) {
    const details = { deviceIds: r.unknownDeviceIds, groupIds: r.unknownGroupIds };
    throw new BatchRejected('unknown_targets', 'some targets do not exist', details, undefined, 'targets');
  }
}

export interface CreateBatchInput {
  owner: string;
  request: BatchRequest;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** Set when a schedule started this batch. */
  scheduleId?: string | null;
  /** The batch this one retries. */
  retryOf?: string;
}

export interface CreatedBatch {
  row: BatchRow;
  deviceIds: string[];
}

export async function createBatch(deps: CreateBatchDeps, input: CreateBatchInput): Promise<CreatedBatch> {
  const { db, maxTargets, secretKey } = deps;
  const { request } = input;
  checkActionSize(request, deps.maxCommandBytes);
  // A batch may target only devices (and groups) its owner owns, unless the owner is an admin.
  const scope = await ownerScopeOf(db, input.owner);
  const { targets, unknownDeviceIds, unknownGroupIds } = await resolveTargets(db, request.targets, scope);
  rejectUnknownTargets({ unknownDeviceIds, unknownGroupIds });
  if (targets.length === 0) throw new BatchRejected('no_targets', 'the targets match no device');
  if (targets.length > maxTargets) {
    throw new BatchRejected('too_many_targets', `the targets match ${targets.length} devices; at most ${maxTargets} per batch (FLOTILLA_MAX_TARGETS)`, {
      matched: targets.length,
      limit: maxTargets,
    });
  }
  // File steps push files the owner uploaded (any file, for an admin).
  const fileIds = requestedSteps(request).flatMap((s) => (s.type === 'file' ? [s.fileId] : []));
  const unknownFileIds = await missingFileIds(db, fileIds, scope);
  if (unknownFileIds.length > 0) throw new BatchRejected('unknown_files', 'some file steps name files that do not exist', { fileIds: unknownFileIds });
  const id = randomUUID();
  await insertBatchWithin(
    db,
    {
      id,
      owner: input.owner,
      ...storedWork(request, secretKey),
      strategy: resolveStrategy(request.strategy, targets.length, (a) => storedAction(a, secretKey)),
      targets: request.targets,
      deliveryTimeoutSec: request.deliveryTimeoutSec,
      deadlineSec: request.deadlineSec ?? null,
      workflowId: batchWorkflowId(id),
      idempotencyKey: input.idempotencyKey,
      requestHash: input.requestHash,
      scheduleId: input.scheduleId ?? null,
      retryOf: input.retryOf ?? null,
    },
    targets,
    deps.maxRunningBatches,
  );
  const row = await getBatch(db, id, input.owner);
  if (!row) throw new Error(`batch ${id} vanished after insert`);
  return { row, deviceIds: targets.map((t) => t.id) };
}

async function insertBatchWithin(db: Database, batch: NewBatch, targets: readonly Target[], maxRunning: number): Promise<void> {
  try {
    await insertBatch(db, batch, targets, randomUUID, maxRunning);
  } catch (err) {
    if (!(err instanceof TooManyRunningBatchesError)) throw err;
    throw new BatchRejected('too_many_running_batches', `${err.message}; wait for one to finish or cancel one`, { limit: err.limit }, RUNNING_BATCHES_RETRY_AFTER_SEC);
  }
}
