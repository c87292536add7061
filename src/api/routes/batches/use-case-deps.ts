// What the batch use cases (src/batches) need, taken from the request's context.
import type { Context } from 'hono';
import { batchLimitsOf } from '../../../batches/create-batch';
import type { SubmitBatchDeps } from '../../../batches/submit-batch';
import type { AppEnv } from '../../context';

export function batchUseCaseDeps(c: Context<AppEnv>): SubmitBatchDeps {
  const { db, temporal, logger, config } = c.var.deps;
  return { db: db.orm, temporal, logger, ...batchLimitsOf(config) };
}
