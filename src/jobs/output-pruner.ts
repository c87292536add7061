// Deletes the live output chunks of batches that ended more than the retention ago (their results keep
// the output), once a minute, in the API process.
import type { Database } from '../db/client';
import { pruneOutputEvents } from '../db/queries/batch-events';
import type { Logger } from '../logger';

export function startOutputPruner(opts: { db: Database; logger: Logger; retentionSec: number; intervalMs?: number }): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = pruneOutputEvents(opts.db, new Date(Date.now() - opts.retentionSec * 1000)).then(
      (n) => {
        if (n > 0) opts.logger.debug({ rows: n }, 'pruned live output of finished batches');
      },
      (err: unknown) => opts.logger.warn({ err }, 'live output pruning failed; will retry'),
    );
  }, opts.intervalMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
