// Execution handlers: results as the activities stored them; the API never reads Temporal history.
import { getBatch, getExecution, listExecutions } from '../../../db/queries/batches';
import { stepsOf } from '../../../db/queries/execution-steps';
import { parseOutcomeKey } from '../../../domain/outcome';
import type { AppRouteHandler } from '../../context';
import { scopeOf } from '../../ownership';
import { DomainError, notFound } from '../../../domain/errors';
import { toExecutionJson } from '../../schemas/batch';
import { decodeSeqCursorOrFail } from '../cursor';
import { LIST_OUTPUT_HEAD_BYTES, type GetRoute, type ListRoute } from './routes';

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const { db } = c.var.deps;
  const { id } = c.req.valid('param');
  const q = c.req.valid('query');
  const afterSeq = decodeSeqCursorOrFail(q.cursor);
  if (!(await getBatch(db.orm, id, scopeOf(c.var.principal)))) throw notFound('batch', id);
  const page = await listExecutions(db.orm, id, {
    status: q.status,
    group: q.group === undefined ? undefined : (parseOutcomeKey(q.group) ?? undefined),
    stdoutContains: q.stdout,
    stderrContains: q.stderr,
    outputContains: q.output,
    afterSeq,
    limit: q.limit,
    outputHeadBytes: LIST_OUTPUT_HEAD_BYTES,
  });
  const steps = await stepsOf(
    db.orm,
    page.items.map((e) => e.id),
    LIST_OUTPUT_HEAD_BYTES,
  );
  return c.json({ items: page.items.map((e) => toExecutionJson(e, steps.get(e.id) ?? [])), nextCursor: page.nextCursor }, 200);
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { db } = c.var.deps;
  const { id, deviceId } = c.req.valid('param');
  if (!(await getBatch(db.orm, id, scopeOf(c.var.principal)))) throw notFound('batch', id);
  const execution = await getExecution(db.orm, id, deviceId);
  if (!execution) {
    throw new DomainError(404, 'not_found', `batch ${id} has no execution for device ${deviceId}`);
  }
  const steps = await stepsOf(db.orm, [execution.id]);
  return c.json(toExecutionJson(execution, steps.get(execution.id) ?? []), 200);
};
