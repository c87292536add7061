// Outcome groups of a batch the caller may see.
import { getBatch } from '../../../db/queries/batches';
import { outcomeGroups } from '../../../db/queries/outcomes';
import { encodeGroupCursor } from '../../../db/queries/pagination';
import { formatOutcomeKey } from '../../../domain/outcome';
import type { AppRouteHandler } from '../../context';
import { notFound } from '../../../domain/errors';
import { scopeOf } from '../../ownership';
import { decodeGroupCursorOrFail } from '../cursor';
import { SAMPLE_BYTES, type ListRoute } from './routes';

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const { db } = c.var.deps;
  const { id } = c.req.valid('param');
  const q = c.req.valid('query');
  const after = decodeGroupCursorOrFail(q.cursor);
  if (!(await getBatch(db.orm, id, scopeOf(c.var.principal)))) throw notFound('batch', id);
  const step = q.step ?? null;
  const page = await outcomeGroups(db.orm, id, { normalize: q.normalize, step, limit: q.limit, after, sampleBytes: SAMPLE_BYTES });
  const items = page.items.map(({ hash, firstSeq: _first, ...g }) => {
    const key = formatOutcomeKey({ normalize: q.normalize, step, hash });
    return { key, ...g, devicesUrl: `/v1/batches/${id}/executions?group=${key}` };
  });
  return c.json({ items, distinct: page.distinct, nextCursor: page.next ? encodeGroupCursor(page.next) : null }, 200);
};
