// Control of a batch that is still going, by signals to its workflow: cancel, pause, resume.
// A finished batch (or one whose workflow is gone) answers 409 batch_finished and nothing is sent.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import type { Database } from '../db/client';
import { getBatch } from '../db/queries/batches';
import type { OwnerScope } from '../db/queries/ownership';
import { DomainError, notFound } from '../domain/errors';
import { isActiveBatchStatus } from '../domain/status';
import { cancelBatchSignal, pauseBatchSignal, resumeBatchSignal } from '../workflows/definitions';

export interface BatchControlDeps {
  db: Database;
  temporal: Client;
}

async function signalBatch<A extends unknown[]>(deps: BatchControlDeps, scope: OwnerScope, id: string, signal: SignalDefinition<A>, ...args: A): Promise<void> {
  const row = await getBatch(deps.db, id, scope);
  if (!row) throw notFound('batch', id);
  if (!isActiveBatchStatus(row.status)) {
    throw new DomainError(409, 'batch_finished', `batch ${id} already finished (${row.status})`, { status: row.status });
  }
  try {
    await deps.temporal.workflow.getHandle(row.workflowId).signal(signal, ...args);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new DomainError(409, 'batch_finished', `batch ${id} has no running workflow`);
    throw err;
  }
}

/** Stops dispatching and cancels running commands. */
export async function cancelBatch(deps: BatchControlDeps, scope: OwnerScope, id: string): Promise<void> {
  await signalBatch(deps, scope, id, cancelBatchSignal, { reason: 'api' });
}

/** Stops dispatching new devices; running ones finish. */
export async function pauseBatch(deps: BatchControlDeps, scope: OwnerScope, id: string, by: string): Promise<void> {
  await signalBatch(deps, scope, id, pauseBatchSignal, { by });
}

/** Dispatches again after a pause, or approves the waves after the first. */
export async function resumeBatch(deps: BatchControlDeps, scope: OwnerScope, id: string, by: string): Promise<void> {
  await signalBatch(deps, scope, id, resumeBatchSignal, { by });
}
