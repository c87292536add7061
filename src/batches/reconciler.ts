// Keeps PostgreSQL and Temporal agreeing about running batches, so nothing is left stuck:
// - a batch stored but never started (the API process died between the insert and the start) is started;
// - a batch whose workflow was terminated, timed out or failed outside its own code is ended `cancelled`,
//   with every device that has no final status ended too.
// The same loop heals schedules (src/schedules/reconcile.ts).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, asc, inArray, lt } from 'drizzle-orm';
import { ACTIVE_BATCH_STATUSES } from '../domain/status';
import type { Database } from '../db/client';
import { finishBatch } from '../db/queries/execution-state';
import { batches } from '../db/schema';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { reconcileSchedules } from '../schedules/reconcile';
import { startBatchWorkflow } from './start-workflow';

export interface ReconcileReport {
  started: string[];
  ended: string[];
}

/** One pass over running batches older than minAgeMs (younger ones may still be starting). */
export async function reconcileBatches(db: Database, client: Client, minAgeMs: number, limit = 200): Promise<ReconcileReport> {
  const report: ReconcileReport = { started: [], ended: [] };
  const rows = await db
    .select()
    .from(batches)
    .where(and(inArray(batches.status, [...ACTIVE_BATCH_STATUSES]), lt(batches.createdAt, new Date(Date.now() - minAgeMs))))
    .orderBy(asc(batches.createdAt))
    .limit(limit);
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

/** Runs reconcileBatches every intervalMs until stopped. */
export function startReconciler(opts: { db: Database; client: Client; logger: Logger; metrics?: Metrics; intervalMs?: number; minAgeMs?: number }): { stop(): Promise<void> } {
  const intervalMs = opts.intervalMs ?? 30_000;
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    const minAgeMs = opts.minAgeMs ?? 30_000;
    const failed = (what: string) => (err: unknown) =>
      opts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, `${what} reconciliation failed; will retry`);
    running = Promise.all([
      reconcileBatches(opts.db, opts.client, minAgeMs).then((r) => {
        if (r.started.length + r.ended.length > 0) opts.logger.warn(r, 'reconciled batches with Temporal');
        opts.metrics?.reconcilerActions.inc({ action: 'batch_started' }, r.started.length);
        opts.metrics?.reconcilerActions.inc({ action: 'batch_ended' }, r.ended.length);
      }, failed('batch')),
      reconcileSchedules(opts.db, opts.client, minAgeMs).then((r) => {
        if (r.created.length + r.deleted.length + r.orphansDeleted.length > 0) opts.logger.warn(r, 'reconciled schedules with Temporal');
        opts.metrics?.reconcilerActions.inc({ action: 'schedule_created' }, r.created.length);
        opts.metrics?.reconcilerActions.inc({ action: 'schedule_deleted' }, r.deleted.length + r.orphansDeleted.length);
      }, failed('schedule')),
    ]).then(() => undefined);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
