// Batch handlers. Creation validates everything first (nothing is written or started for bad input),
// writes the batch and its executions in one transaction, then starts the workflow.
import type { Context } from 'hono';
import {
  batchDeviceIds,
  batchStats,
  deleteFinishedBatch,
  findBatchByIdempotencyKey,
  getBatch,
  listBatches,
} from '../../../db/queries/batches';
import { batchLinks } from '../../../db/queries/batch-links';
import type { BatchRow } from '../../../db/schema';
import type { BatchRequest } from '../../../domain/batch';
import { isActiveBatchStatus } from '../../../domain/status';
import type { AppEnv, AppRouteHandler } from '../../context';
import { scopeOf } from '../../ownership';
import { ApiError, isUniqueViolation, notFound } from '../../errors';
import { progressOf, toBatchJson } from '../../schemas/batch';
import { decodeTimeCursorOrFail } from '../cursor';
import { requestHash } from './request';
import type { CreateRoute, GetRoute, ListRoute, RemoveRoute } from './routes';
import { batchStartDetails } from '../../../batches/audit-details';
import { createBatch, type CreatedBatch } from '../../../batches/create-batch';
import { BatchRejected } from '../../../batches/rejected';
import { startBatchWorkflow } from '../../../batches/start-workflow';

export interface Created {
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
  if (isActiveBatchStatus(row.status)) await ensureStarted(c, row);
  c.header('Idempotent-Replayed', 'true');
  c.set('audit', { action: 'batch.start', resourceId: row.id, details: { ...batchStartDetails(row), replayed: true } });
  return { batchId: row.id, workflowId: row.workflowId, targetCount: row.targetCount, deviceIds: await batchDeviceIds(c.var.deps.db.orm, row.id) };
}

/** Creates and starts a batch through the one createBatch path; also used by retry (no key, linked to the original). */
export async function createNew(
  c: Context<AppEnv>,
  body: BatchRequest,
  key: string | undefined,
  hash: string | null,
  retryOf?: string,
): Promise<Created> {
  const { db, config } = c.var.deps;
  let created: CreatedBatch;
  try {
    created = await createBatch(
      { db: db.orm, maxTargets: config.maxTargets, maxCommandBytes: config.maxCommandBytes, maxRunningBatches: config.maxRunningBatches, secretKey: config.secretKey },
      { owner: c.var.principal.id, request: body, idempotencyKey: key ?? null, requestHash: hash, ...(retryOf === undefined ? {} : { retryOf }) },
    );
  } catch (err) {
    if (!(err instanceof BatchRejected)) throw err;
    if (err.retryAfterSec === undefined) throw new ApiError(400, err.code, err.message, err.details);
    c.header('Retry-After', String(err.retryAfterSec));
    throw new ApiError(429, err.code, err.message, err.details);
  }
  const { row, deviceIds } = created;
  await ensureStarted(c, row);
  c.set('audit', { action: retryOf ? 'batch.retry' : 'batch.start', resourceId: row.id, details: { ...batchStartDetails(row), ...(retryOf ? { retryOf } : {}) } });
  return { batchId: row.id, workflowId: row.workflowId, targetCount: row.targetCount, deviceIds };
}

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const body = c.req.valid('json');
  const key = c.req.valid('header')['idempotency-key'];
  const owner = c.var.principal.id;
  const hash = requestHash(body, config.secretKey);
  if (key !== undefined) {
    const seen = await findBatchByIdempotencyKey(db.orm, owner, key);
    if (seen) return c.json(await replay(c, seen, hash), 201);
  }
  try {
    return c.json(await createNew(c, body, key, hash), 201);
  } catch (err) {
    // A concurrent request with the same key won the insert: answer its batch.
    if (key === undefined || !isUniqueViolation(err, 'batches_idempotency_key')) throw err;
    const winner = await findBatchByIdempotencyKey(db.orm, owner, key);
    if (!winner) throw err;
    return c.json(await replay(c, winner, hash), 201);
  }
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const { db } = c.var.deps;
  const q = c.req.valid('query');
  const page = await listBatches(db.orm, { owner: scopeOf(c.var.principal), status: q.status, limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  const ids = page.items.map((b) => b.id);
  const [stats, links] = [await batchStats(db.orm, ids), await batchLinks(db.orm, ids)];
  return c.json(
    {
      items: page.items.flatMap((b) => {
        const s = stats.get(b.id);
        return s ? [toBatchJson(b, s, links.get(b.id))] : [];
      }),
      nextCursor: page.nextCursor,
    },
    200,
  );
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { db } = c.var.deps;
  const { id } = c.req.valid('param');
  const row = await getBatch(db.orm, id, scopeOf(c.var.principal));
  if (!row) throw notFound('batch', id);
  const stats = (await batchStats(db.orm, [id])).get(id);
  if (!stats) throw notFound('batch', id);
  const links = (await batchLinks(db.orm, [id])).get(id);
  return c.json({ batch: toBatchJson(row, stats, links), progress: progressOf(stats, row.targetCount) }, 200);
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const outcome = await deleteFinishedBatch(c.var.deps.db.orm, id, scopeOf(c.var.principal));
  if (outcome === 'not_found') throw notFound('batch', id);
  if (outcome === 'running') throw new ApiError(409, 'batch_running', `batch ${id} is still running; cancel it first`);
  return c.body(null, 204);
};
