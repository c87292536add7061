// The reconciliation loop of the API process: every interval, one pass over batches
// (batch-reconciler.ts) and one over schedules (schedule-reconciler.ts), each retried at the next tick
// when it fails.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { reconcileBatches } from './batch-reconciler';
import { reconcileSchedules } from './schedule-reconciler';

/** Runs reconcileBatches and reconcileSchedules every intervalMs until stopped. */
export function startReconciler(opts: {
  db: Database;
  client: Client;
  logger: Logger;
  metrics?: Metrics;
  intervalMs?: number;
  minAgeMs?: number;
}): { stop(): Promise<void> } {
  const intervalMs = opts.intervalMs ?? 30_000;
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    const minAgeMs = opts.minAgeMs ?? 30_000;
    const failed = (what: string) => (err: unknown) => opts.logger.warn({ err }, `${what} reconciliation failed; will retry`);
    running = Promise.all([
      reconcileBatches(opts.db, opts.client, minAgeMs).then((r) => {
        opts.metrics?.reconcilerActions.inc({ action: 'batch_started' }, r.started.length);
        opts.metrics?.reconcilerActions.inc({ action: 'batch_ended' }, r.ended.length);
        if (r.started.length + r.ended.length > 0) opts.logger.warn(r, 'reconciled batches with Temporal');
      }, failed('batch')),
      reconcileSchedules(opts.db, opts.client, minAgeMs).then((r) => {
        opts.metrics?.reconcilerActions.inc({ action: 'schedule_created' }, r.created.length);
        opts.metrics?.reconcilerActions.inc({ action: 'schedule_deleted' }, r.deleted.length + r.orphansDeleted.length);
        if (r.created.length + r.deleted.length + r.orphansDeleted.length > 0) opts.logger.warn(r, 'reconciled schedules with Temporal');
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
