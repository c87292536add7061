// Retry: the original must have finished; its devices in the chosen statuses become the targets of a
// new batch made by the same createBatch path as POST /v1/batches (same checks, limits, sealing).
import { requestOf } from '../../../batches/request-of';
import { deviceIdsInStatuses, getBatch } from '../../../db/queries/batches';
import { isActiveBatchStatus } from '../../../domain/status';
import type { AppRouteHandler } from '../../context';
import { ApiError, notFound } from '../../errors';
import { scopeOf } from '../../ownership';
import { createNew } from './handlers';
import { DEFAULT_RETRY_STATUSES, type RetryRoute } from './retry-routes';

export const retry: AppRouteHandler<RetryRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const { id } = c.req.valid('param');
  const statuses = c.req.valid('json')?.statuses ?? DEFAULT_RETRY_STATUSES;
  const row = await getBatch(db.orm, id, scopeOf(c.var.principal));
  if (!row) throw notFound('batch', id);
  if (isActiveBatchStatus(row.status)) {
    throw new ApiError(409, 'batch_running', `batch ${id} is still ${row.status}; retry it once it has finished`, { status: row.status });
  }
  const deviceIds = await deviceIdsInStatuses(db.orm, id, statuses);
  if (deviceIds.length === 0) {
    throw new ApiError(409, 'nothing_to_retry', `no device of batch ${id} ended in ${statuses.join(', ')}`, { statuses });
  }
  const created = await createNew(c, requestOf(row, { deviceIds }, config.secretKey), undefined, null, id);
  return c.json({ ...created, retryOf: id }, 201);
};
