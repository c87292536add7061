// Batch handlers: start (through the submitBatch use case), list, read, delete.
import { batchStats, deleteFinishedBatch, getBatch, listBatches } from '../../../db/queries/batches';
import { batchLinks } from '../../../db/queries/batch-links';
import { batchStartDetails } from '../../../batches/audit-details';
import { submitBatch } from '../../../batches/submit-batch';
import { DomainError, notFound } from '../../../domain/errors';
import type { AppRouteHandler } from '../../context';
import { listScopeOf, scopeOf, seesAll } from '../../ownership';
import { progressOf, toBatchCreatedJson, toBatchJson } from '../../schemas/batch';
import { decodeTimeCursorOrFail } from '../cursor';
import type { CreateRoute, GetRoute, ListRoute, RemoveRoute } from './routes';
import { batchUseCaseDeps } from './use-case-deps';

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const submitted = await submitBatch(batchUseCaseDeps(c), {
    owner: c.var.principal.id,
    request: c.req.valid('json'),
    idempotencyKey: c.req.valid('header')['idempotency-key'],
  });
  const { row, replayed } = submitted;
  if (replayed) c.header('Idempotent-Replayed', 'true');
  c.set('audit', { action: 'batch.start', resourceId: row.id, details: { ...batchStartDetails(row), ...(replayed ? { replayed: true } : {}) } });
  return c.json(toBatchCreatedJson(submitted), 201);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const { db } = c.var.deps;
  const q = c.req.valid('query');
  const page = await listBatches(db.orm, { owner: listScopeOf(c.var.principal, q.owner), status: q.status, limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  const ids = page.items.map((b) => b.id);
  const [stats, links] = [await batchStats(db.orm, ids), await batchLinks(db.orm, ids, scopeOf(c.var.principal))];
  return c.json(
    {
      items: page.items.flatMap((b) => {
        const s = stats.get(b.id);
        return s ? [toBatchJson(b, s, links.get(b.id), seesAll(c.var.principal))] : [];
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
  const links = (await batchLinks(db.orm, [id], scopeOf(c.var.principal))).get(id);
  return c.json({ batch: toBatchJson(row, stats, links, seesAll(c.var.principal)), progress: progressOf(stats, row.targetCount) }, 200);
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const outcome = await deleteFinishedBatch(c.var.deps.db.orm, id, scopeOf(c.var.principal));
  if (outcome === 'not_found') throw notFound('batch', id);
  if (outcome === 'running') throw new DomainError(409, 'batch_running', `batch ${id} is still running; cancel it first`);
  return c.body(null, 204);
};
