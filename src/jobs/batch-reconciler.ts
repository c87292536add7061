// Keeps PostgreSQL and Temporal agreeing about running batches, so nothing is left stuck:
// - a batch stored but never started (the API process died between the insert and the start) is started;
// - a batch whose workflow was terminated, timed out or failed outside its own code is ended `cancelled`,
//   with every device that has no final status ended too.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { startBatchWorkflow } from '../batches/start-workflow';
import type { Database } from '../db/client';
import { activeBatchesCreatedBefore } from '../db/queries/batches';
import { finishBatch } from '../db/queries/execution-state';

export interface BatchReconcileReport {
  started: string[];
  ended: string[];
}

/** One pass over running batches older than minAgeMs (younger ones may still be starting). */
export async function reconcileBatches(db: Database, client: Client, minAgeMs: number, limit = 200): Promise<BatchReconcileReport> {
  const report: BatchReconcileReport = { started: [], ended: [] };
  const rows = await activeBatchesCreatedBefore(db, new Date(Date.now() - minAgeMs), limit);
  for (const row of rows) {
    let status: string;
    try {
      status = (await client.workflow.getHandle(row.workflowId).describe()).status.name;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      if (await startBatchWorkflow(client, row)) report.started.push(row.id);
      continue;
    }
    if (status === 'TERMINATED' || status === 'TIMED_OUT' || status === 'FAILED') {
      await finishBatch(db, {
        batchId: row.id,
        leftover: 'cancelled',
        reason: 'cancel',
        error: `the batch workflow ended ${status.toLowerCase().replace('_', ' ')} outside Flotilla`,
      });
      report.ended.push(row.id);
    }
  }
  return report;
}
