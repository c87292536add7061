// Batches linked to others: retries of a batch, and the health check batches of a waves batch.
import { and, asc, inArray, or } from 'drizzle-orm';
import type { Database } from '../client';
import { batches } from '../schema';
import { ownedBy, type OwnerScope } from './ownership';

export interface BatchLinks {
  retries: string[];
  healthChecks: string[];
}

/** Links of each batch, oldest first, to batches of the scope's owner only; one query for a whole page. */
export async function batchLinks(db: Database, ids: readonly string[], scope: OwnerScope): Promise<Map<string, BatchLinks>> {
  const out = new Map<string, BatchLinks>(ids.map((id) => [id, { retries: [], healthChecks: [] }]));
  if (ids.length === 0) return out;
  const rows = await db
    .select({ id: batches.id, retryOf: batches.retryOf, parentBatchId: batches.parentBatchId })
    .from(batches)
    .where(and(or(inArray(batches.retryOf, [...ids]), inArray(batches.parentBatchId, [...ids])), ownedBy(batches.owner, scope)))
    .orderBy(asc(batches.createdAt), asc(batches.id));
  for (const r of rows) {
    if (r.retryOf) out.get(r.retryOf)?.retries.push(r.id);
    if (r.parentBatchId) out.get(r.parentBatchId)?.healthChecks.push(r.id);
  }
  return out;
}
