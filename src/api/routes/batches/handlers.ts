// Batch handlers. Creation validates everything first (nothing is written or started for bad input),
// writes the batch and its executions in one transaction, then starts the workflow.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Context } from 'hono';
import {
  batchDeviceIds,
  batchStats,
  deleteFinishedBatch,
  findBatchByIdempotencyKey,
  getBatch,
  insertBatch,
  listBatches,
  resolveTargets,
} from '../../../db/queries/batches';
import type { BatchRow } from '../../../db/schema';
import { resolveStrategy, type BatchRequest } from '../../../domain/batch';
import { batchWorkflowId, cancelBatchSignal } from '../../../workflows/definitions';
import type { AppEnv, AppRouteHandler } from '../../context';
import { ApiError, isUniqueViolation, notFound } from '../../errors';
import { progressOf, toBatchJson } from '../../schemas/batch';
import { decodeTimeCursorOrFail } from '../cursor';
import { requestHash, storedAction } from './request';
import type { CancelRoute, CreateRoute, GetRoute, ListRoute, RemoveRoute } from './routes';
import { startBatchWorkflow } from '../../../batches/start-workflow';

interface Created {
  batchId: string;
  workflowId: string;
  targetCount: number;
  deviceIds: string[];
}

async function ensureStarted(c: Context<AppEnv>, row: BatchRow): Promise<void> {
  try {
    await startBatchWorkflow(c.var.deps.temporal, row);
  } catch (err) {
    c.var.deps.logger.error({ err, batchId: row.id }, 'could not start the batch workflow');
    throw new ApiError(503, 'temporal_unavailable', 'the batch is stored but its workflow could not be started; retry with the same Idempotency-Key', {
      batchId: row.id,
    });
  }
}

/** Answers a request whose Idempotency-Key was seen before: the same batch, or 409 for another body. */
async function replay(c: Context<AppEnv>, row: BatchRow, hash: string): Promise<Created> {
  if (row.requestHash !== hash) {
    throw new ApiError(409, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request', { batchId: row.id });
  }
  // Covers a crash between the insert and the start; a finished batch's workflow is never started again.
  if (row.status === 'running') await ensureStarted(c, row);
  c.header('Idempotent-Replayed', 'true');
  return { batchId: row.id, workflowId: row.workflowId, targetCount: row.targetCount, deviceIds: await batchDeviceIds(c.var.deps.db.db, row.id) };
}

async function createNew(c: Context<AppEnv>, body: BatchRequest, key: string | undefined, hash: string): Promise<Created> {
  const { db, config } = c.var.deps;
  const { targets, unknownDeviceIds, unknownGroupIds } = await resolveTargets(db.db, body.targets);
  if (unknownDeviceIds.length > 0 || unknownGroupIds.length > 0) {
    throw new ApiError(400, 'unknown_targets', 'some targets do not exist', { deviceIds: unknownDeviceIds, groupIds: unknownGroupIds });
  }
  if (targets.length === 0) throw new ApiError(400, 'no_targets', 'the targets match no device');
  if (targets.length > config.maxTargets) {
    throw new ApiError(400, 'too_many_targets', `the targets match ${targets.length} devices; at most ${config.maxTargets} per batch`);
  }
  const action = storedAction(body.action, config.secretKey);
  const id = randomUUID();
  const row = {
    id,
    owner: c.var.principal.id,
    action,
    strategy: resolveStrategy(body.strategy, targets.length),
    targets: body.targets,
    deliveryTimeoutSec: body.deliveryTimeoutSec,
    deadlineSec: body.deadlineSec ?? null,
    workflowId: batchWorkflowId(id),
    idempotencyKey: key ?? null,
    requestHash: hash,
  };
  await insertBatch(db.db, row, targets, randomUUID);
  const stored = await getBatch(db.db, id);
  if (!stored) throw new Error(`batch ${id} vanished after insert`);
  await ensureStarted(c, stored);
  return { batchId: id, workflowId: row.workflowId, targetCount: targets.length, deviceIds: targets.map((t) => t.id) };
}

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const body = c.req.valid('json');
  const key = c.req.valid('header')['idempotency-key'];
  const owner = c.var.principal.id;
  const hash = requestHash(body, config.secretKey);
  if (key !== undefined) {
    const seen = await findBatchByIdempotencyKey(db.db, owner, key);
    if (seen) return c.json(await replay(c, seen, hash), 201);
  }
  try {
    return c.json(await createNew(c, body, key, hash), 201);
  } catch (err) {
    // A concurrent request with the same key won the insert: answer its batch.
    if (key === undefined || !isUniqueViolation(err, 'batches_idempotency_key')) throw err;
    const winner = await findBatchByIdempotencyKey(db.db, owner, key);
    if (!winner) throw err;
    return c.json(await replay(c, winner, hash), 201);
  }
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const { db } = c.var.deps;
  const q = c.req.valid('query');
  const page = await listBatches(db.db, { status: q.status, limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  const stats = await batchStats(
    db.db,
    page.items.map((b) => b.id),
  );
  return c.json(
    {
      items: page.items.flatMap((b) => {
        const s = stats.get(b.id);
        return s ? [toBatchJson(b, s)] : [];
      }),
      nextCursor: page.nextCursor,
    },
    200,
  );
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { db } = c.var.deps;
  const { id } = c.req.valid('param');
  const row = await getBatch(db.db, id);
  if (!row) throw notFound('batch', id);
  const stats = (await batchStats(db.db, [id])).get(id);
  if (!stats) throw notFound('batch', id);
  return c.json({ batch: toBatchJson(row, stats), progress: progressOf(stats, row.targetCount) }, 200);
};

const finished = (id: string, status: string): ApiError =>
  new ApiError(409, 'batch_finished', `batch ${id} already finished (${status})`, { status });
const noWorkflow = (id: string): ApiError =>
  new ApiError(409, 'batch_finished', `batch ${id} has no running workflow to cancel`);

export const cancel: AppRouteHandler<CancelRoute> = async (c) => {
  const { db, temporal } = c.var.deps;
  const { id } = c.req.valid('param');
  const row = await getBatch(db.db, id);
  if (!row) throw notFound('batch', id);
  if (row.status !== 'running') throw finished(id, row.status);
  try {
    await temporal.workflow.getHandle(row.workflowId).signal(cancelBatchSignal, { reason: 'api' });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw noWorkflow(id);
    throw err;
  }
  return c.json({ batchId: id, status: 'cancelling' as const }, 202);
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const outcome = await deleteFinishedBatch(c.var.deps.db.db, id);
  if (outcome === 'not_found') throw notFound('batch', id);
  if (outcome === 'running') throw new ApiError(409, 'batch_running', `batch ${id} is still running; cancel it first`);
  return c.body(null, 204);
};
