// The database pool's usage, read at every scrape.
import type { DatabaseHandle } from '../db/client';
import type { Metrics } from './metrics';

export function watchDatabasePool(metrics: Metrics, db: DatabaseHandle): () => void {
  return metrics.onScrape(() => {
    const usage = db.poolUsage();
    metrics.dbPoolInUse.set(usage.inUse);
    metrics.dbPoolWaiting.set(usage.waiting);
  });
}
