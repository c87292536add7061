// One scheduled run, as the run workflow's local activity does it: read the schedule, resolve its
// targets now (so devices added to a group since are included), create an ordinary batch that records
// the schedule, and record the run. Keyed by the run's workflow id, so a retried activity never makes a
// second batch. A request that cannot become a batch (no device matches, a group was deleted...) is
// recorded as a failed run with the reason and ends the run normally: the schedule keeps going.
import { randomUUID } from 'node:crypto';
import { batchStartDetails } from '../batches/audit-details';
import { createBatch, type CreateBatchDeps } from '../batches/create-batch';
import { appendAudit } from '../db/queries/audit';
import { BatchRejected } from '../domain/errors';
import { workflowInput } from '../batches/workflow-input';
import { runRequest } from './stored-request';
import { findBatchByIdempotencyKey, getBatch } from '../db/queries/batches';
import { findRun, getSchedule, recordRun } from '../db/queries/schedules';
import type { BatchRow, ScheduleRow } from '../db/schema';
import type { ScheduledRunStart } from '../workflows/definitions';

export type ScheduleRunDeps = CreateBatchDeps;

const started = (batch: BatchRow, schedule: Pick<ScheduleRow, 'name'>): ScheduledRunStart => ({
  kind: 'batch',
  batch: workflowInput(batch),
  scheduleName: schedule.name,
});

/** A scheduled start is a batch start in the owner's name: the audit log shows it like one from the API. */
async function auditScheduledStart(db: ScheduleRunDeps['db'], schedule: ScheduleRow, batch: BatchRow): Promise<void> {
  await appendAudit(db, {
    id: randomUUID(),
    actorId: schedule.owner,
    actorName: `schedule ${schedule.name}`,
    tokenId: null,
    action: 'batch.start',
    resourceType: 'batch',
    resourceId: batch.id,
    method: 'SCHEDULE',
    path: `/v1/schedules/${schedule.id}`,
    status: 201,
    clientIp: null,
    details: { ...batchStartDetails(batch), scheduleId: schedule.id },
  });
}

async function createRunBatch(deps: ScheduleRunDeps, schedule: ScheduleRow, runWorkflowId: string): Promise<BatchRow> {
  const key = `schedule-run:${runWorkflowId}`;
  const existing = await findBatchByIdempotencyKey(deps.db, schedule.owner, key);
  if (existing) return existing;
  const { row } = await createBatch(
    deps,
    { owner: schedule.owner, request: runRequest(schedule, deps.secretKey), idempotencyKey: key, requestHash: null, scheduleId: schedule.id },
  );
  await auditScheduledStart(deps.db, schedule, row);
  return row;
}

export async function startScheduledRun(deps: ScheduleRunDeps, scheduleId: string, runWorkflowId: string): Promise<ScheduledRunStart> {
  const { db } = deps;
  const schedule = await getSchedule(db, scheduleId);
  if (!schedule) return { kind: 'failed', reason: `schedule ${scheduleId} no longer exists` };
  const seen = await findRun(db, runWorkflowId);
  if (seen?.outcome === 'failed') return { kind: 'failed', reason: seen.error ?? 'failed' };
  const seenBatch = seen?.batchId ? await getBatch(db, seen.batchId, undefined) : undefined;
  if (seenBatch) return started(seenBatch, schedule);

  let batch: BatchRow;
  try {
    batch = await createRunBatch(deps, schedule, runWorkflowId);
  } catch (err) {
    if (!(err instanceof BatchRejected)) throw err;
    const reason = `${err.code}: ${err.message}`;
    await recordRun(db, { id: randomUUID(), scheduleId, workflowId: runWorkflowId, outcome: 'failed', error: reason });
    return { kind: 'failed', reason };
  }
  await recordRun(db, { id: randomUUID(), scheduleId, workflowId: runWorkflowId, batchId: batch.id, outcome: 'started' });
  return started(batch, schedule);
}
