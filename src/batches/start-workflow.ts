// Starting a batch's workflow. Built from the stored row, so a replayed Idempotency-Key request can
// start the same workflow again after a crash; a workflow id is never reused for a second run.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { BatchRow } from '../db/schema';
import { batchWorkflow } from '../workflows';
import { WORKFLOW_TASK_QUEUE } from '../workflows/definitions';
import { batchSearchAttributes } from '../workflows/options';
import { workflowInput } from './workflow-input';

/** Starts the batch's workflow; true when this call started it, false when it already existed. */
export async function startBatchWorkflow(client: Client, row: BatchRow): Promise<boolean> {
  const input = workflowInput(row);
  const n = row.targetCount;
  try {
    await client.workflow.start(batchWorkflow, {
      workflowId: row.workflowId,
      taskQueue: WORKFLOW_TASK_QUEUE,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: batchSearchAttributes({ batchId: row.id, owner: row.owner }),
      staticSummary: `${input.summary} on ${n} ${n === 1 ? 'device' : 'devices'}`,
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
