// Health check batches of a waves batch: one per wave, over the wave's devices that succeeded, with the
// parent's health check action, linked to the parent (purpose health_check).
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { Database } from '../client';
import { executions, type BatchRow } from '../schema';
import type { HealthCheckInput } from '../../workflows/definitions';
import { batchWorkflowId } from '../../workflows/definitions';
import { getBatch, insertBatch } from './batches';

/** Stores the health check batch (once: a retried call finds it); null when no device of the wave succeeded. */
export async function createHealthCheckBatch(db: Database, input: HealthCheckInput): Promise<BatchRow | null> {
  const existing = await getBatch(db, input.healthCheckBatchId, undefined);
  if (existing) return existing;
  const parent = await getBatch(db, input.parentBatchId, undefined);
  const check = parent?.strategy.waves?.healthCheck;
  if (!parent || !check) throw new Error(`batch ${input.parentBatchId} has no health check`);
  const wave = await db
    .select({ id: executions.deviceId, name: executions.deviceName })
    .from(executions)
    .where(
      and(
        eq(executions.batchId, parent.id),
        gte(executions.seq, input.fromSeq),
        lt(executions.seq, input.toSeq),
        eq(executions.status, 'succeeded'),
      ),
    )
    .orderBy(asc(executions.seq));
  if (wave.length === 0) return null;
  const id = input.healthCheckBatchId;
  const strategy = { mode: 'parallel' as const, concurrency: wave.length, maxFailures: null, requested: { concurrency: wave.length, maxFailures: null } };
  await insertBatch(
    db,
    {
      id,
      owner: parent.owner,
      steps: [check],
      stepMode: 'sequential',
      strategy,
      targets: { deviceIds: wave.map((d) => d.id) },
      deliveryTimeoutSec: parent.deliveryTimeoutSec,
      deadlineSec: null,
      workflowId: batchWorkflowId(id),
      idempotencyKey: null,
      requestHash: null,
      purpose: 'health_check',
      parentBatchId: parent.id,
    },
    wave,
    randomUUID,
  );
  return (await getBatch(db, id, undefined)) ?? null;
}
