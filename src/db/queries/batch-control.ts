// Writes the batch workflow makes while a batch is going: showing it paused or running again.
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../client';
import { batches } from '../schema';
import { ACTIVE_BATCH_STATUSES } from '../../domain/status';

/** running <-> paused; a batch that already finished keeps its final status. */
export async function setBatchPaused(db: Database, batchId: string, paused: boolean): Promise<void> {
  await db
    .update(batches)
    .set({ status: paused ? 'paused' : 'running' })
    .where(and(eq(batches.id, batchId), inArray(batches.status, [...ACTIVE_BATCH_STATUSES])));
}
