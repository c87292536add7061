// POST /v1/batches/:id/retry through the retryBatch use case.
import { batchStartDetails } from '../../../batches/audit-details';
import { retryBatch } from '../../../batches/retry-batch';
import type { AppRouteHandler } from '../../context';
import { scopeOf } from '../../ownership';
import { toBatchCreatedJson } from '../../schemas/batch';
import { DEFAULT_RETRY_STATUSES, type RetryRoute } from './retry-routes';
import { batchUseCaseDeps } from './use-case-deps';

export const retry: AppRouteHandler<RetryRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const statuses = c.req.valid('json')?.statuses ?? DEFAULT_RETRY_STATUSES;
  const { principal } = c.var;
  const created = await retryBatch(batchUseCaseDeps(c), { batchId: id, owner: principal.id, scope: scopeOf(principal), statuses });
  const { row } = created;
  c.set('audit', { action: 'batch.retry', resourceId: row.id, details: { ...batchStartDetails(row), retryOf: id } });
  return c.json({ ...toBatchCreatedJson(created), retryOf: id }, 201);
};
