// Control of a batch that is still going, by signals to its workflow: cancel, pause, resume.
// A finished batch (or one whose workflow is gone) answers 409 and nothing is sent.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import type { Context } from 'hono';
import { getBatch } from '../../../db/queries/batches';
import { isActiveBatchStatus } from '../../../domain/status';
import { cancelBatchSignal, pauseBatchSignal, resumeBatchSignal } from '../../../workflows/definitions';
import type { AppEnv, AppRouteHandler } from '../../context';
import { ApiError, notFound } from '../../errors';
import { scopeOf } from '../../ownership';
import type { CancelRoute, PauseRoute, ResumeRoute } from './control-routes';

async function signalBatch<A extends unknown[]>(c: Context<AppEnv>, id: string, signal: SignalDefinition<A>, ...args: A): Promise<void> {
  const { db, temporal } = c.var.deps;
  const row = await getBatch(db.orm, id, scopeOf(c.var.principal));
  if (!row) throw notFound('batch', id);
  if (!isActiveBatchStatus(row.status)) {
    throw new ApiError(409, 'batch_finished', `batch ${id} already finished (${row.status})`, { status: row.status });
  }
  try {
    await temporal.workflow.getHandle(row.workflowId).signal(signal, ...args);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ApiError(409, 'batch_finished', `batch ${id} has no running workflow`);
    throw err;
  }
}

export const cancel: AppRouteHandler<CancelRoute> = async (c) => {
  const { id } = c.req.valid('param');
  await signalBatch(c, id, cancelBatchSignal, { reason: 'api' });
  return c.json({ batchId: id, status: 'cancelling' as const }, 202);
};

export const pause: AppRouteHandler<PauseRoute> = async (c) => {
  const { id } = c.req.valid('param');
  await signalBatch(c, id, pauseBatchSignal, { by: c.var.principal.id });
  return c.json({ batchId: id, status: 'pausing' as const }, 202);
};

export const resume: AppRouteHandler<ResumeRoute> = async (c) => {
  const { id } = c.req.valid('param');
  await signalBatch(c, id, resumeBatchSignal, { by: c.var.principal.id });
  return c.json({ batchId: id, status: 'resuming' as const }, 202);
};
