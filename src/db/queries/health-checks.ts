// What a wave's health check batch is made from: the devices of the wave that succeeded.
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { Database } from '../client';
import { executions } from '../schema';
import type { Target } from './batches';

/** The devices of a batch's executions with seq in [fromSeq, toSeq) that succeeded, in target order. */
export async function succeededDevicesInRange(db: Database, batchId: string, fromSeq: number, toSeq: number): Promise<Target[]> {
  return db
    .select({ id: executions.deviceId, name: executions.deviceName })
    .from(executions)
    .where(and(eq(executions.batchId, batchId), gte(executions.seq, fromSeq), lt(executions.seq, toSeq), eq(executions.status, 'succeeded')))
    .orderBy(asc(executions.seq));
}
