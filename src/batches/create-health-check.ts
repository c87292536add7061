// The health check batch of one wave of a waves batch: the parent's health check action, run in
// parallel on the wave's devices that succeeded, linked to the parent (purpose health_check).
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client';
import { getBatch, insertBatch } from '../db/queries/batches';
import { succeededDevicesInRange } from '../db/queries/health-checks';
import type { BatchRow } from '../db/schema';
import type { StoredStrategy } from '../domain/batch';
import { batchWorkflowId, type HealthCheckInput } from '../workflows/definitions';

/** All of the wave at once, with no failure threshold: the check reports, it does not stop the parent. */
function healthCheckStrategy(deviceCount: number): StoredStrategy {
  return { mode: 'parallel', concurrency: deviceCount, maxFailures: null, requested: { concurrency: deviceCount, maxFailures: null } };
}

/** Stores the health check batch (once: a retried call finds it); null when no device of the wave succeeded. */
export async function createHealthCheckBatch(db: Database, input: HealthCheckInput): Promise<BatchRow | null> {
  const existing = await getBatch(db, input.healthCheckBatchId, undefined);
  if (existing) return existing;
  const parent = await getBatch(db, input.parentBatchId, undefined);
  const check = parent?.strategy.waves?.healthCheck;
  if (!parent || !check) throw new Error(`batch ${input.parentBatchId} has no health check`);
  const wave = await succeededDevicesInRange(db, parent.id, input.fromSeq, input.toSeq);
  if (wave.length === 0) return null;
  const id = input.healthCheckBatchId;
  await insertBatch(
    db,
    {
      id,
      owner: parent.owner,
      steps: [check],
      stepMode: 'sequential',
      strategy: healthCheckStrategy(wave.length),
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
