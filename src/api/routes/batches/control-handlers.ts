// Cancel, pause and resume a batch that is still going, through the control use cases.
import { cancelBatch, pauseBatch, resumeBatch } from '../../../batches/control';
import type { AppRouteHandler } from '../../context';
import { scopeOf } from '../../ownership';
import type { CancelRoute, PauseRoute, ResumeRoute } from './control-routes';
import { batchUseCaseDeps } from './use-case-deps';

export const cancel: AppRouteHandler<CancelRoute> = async (c) => {
  const { id } = c.req.valid('param');
  await cancelBatch(batchUseCaseDeps(c), scopeOf(c.var.principal), id);
  return c.json({ batchId: id, status: 'cancelling' as const }, 202);
};

export const pause: AppRouteHandler<PauseRoute> = async (c) => {
  const { id } = c.req.valid('param');
  await pauseBatch(batchUseCaseDeps(c), scopeOf(c.var.principal), id, c.var.principal.id);
  return c.json({ batchId: id, status: 'pausing' as const }, 202);
};

export const resume: AppRouteHandler<ResumeRoute> = async (c) => {
  const { id } = c.req.valid('param');
  await resumeBatch(batchUseCaseDeps(c), scopeOf(c.var.principal), id, c.var.principal.id);
  return c.json({ batchId: id, status: 'resuming' as const }, 202);
};
