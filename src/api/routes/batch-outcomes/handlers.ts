// Outcome groups of a batch the caller may see.
import { getBatch } from '../../../db/queries/batches';
import { outcomeGroups } from '../../../db/queries/outcomes';
import { notFound } from '../../../domain/errors';
import type { AppRouteHandler } from '../../context';
import { scopeOf } from '../../ownership';
import { toOutcomeGroupsJson } from '../../schemas/outcome';
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
  return c.json(toOutcomeGroupsJson(id, q.normalize, step, page), 200);
};
