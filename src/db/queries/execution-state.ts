// State transitions of executions and batches driven by the workflows. Every write is conditional,
// so a retried activity or a late duplicate never overwrites a final status.
import { and, asc, eq, gte, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { batches, devices, executions } from '../schema';
import { decideBatchStatus } from '../../domain/batch-outcome';
import { FINAL_EXECUTION_STATUSES, isFinalExecutionStatus, type ExecutionStatus, type FinalExecutionStatus } from '../../domain/status';
import { STDERR_HEAD_CHARS, outcomeError } from '../../domain/outcome-error';
import type {
  BatchWorkflowResult,
  DeviceOutcome,
  FinishBatchInput,
  Presence,
  TargetRef,
} from '../../workflows/definitions';

/** Rows whose status is not final yet: every status write is conditioned on it. */
export const NOT_FINAL = notInArray(executions.status, [...FINAL_EXECUTION_STATUSES]);

/** The columns a stored outcome is read from: its status, exit code, error and the first part of stderr. */
export const OUTCOME_COLUMNS = {
  status: executions.status,
  exitCode: executions.exitCode,
  error: executions.error,
  stderrHead: sql<string | null>`left(${executions.stderr}, ${STDERR_HEAD_CHARS})`,
};

/** A row read with OUTCOME_COLUMNS. */
export interface OutcomeRow {
  status: ExecutionStatus;
  exitCode: number | null;
  error: string | null;
  stderrHead: string | null;
}

/** The outcome of a row read with OUTCOME_COLUMNS, with its short error; undefined while not final. */
export function outcomeOfRow(row: OutcomeRow | undefined): DeviceOutcome | undefined {
  if (!row || !isFinalExecutionStatus(row.status)) return undefined;
  return { status: row.status, exitCode: row.exitCode, error: outcomeError({ ...row, status: row.status }) };
}

/** The stored outcome with its short error (read from the first part of stderr), or undefined while not final. */
export async function readOutcome(db: Database, executionId: string): Promise<DeviceOutcome | undefined> {
  const [row] = await db.select(OUTCOME_COLUMNS).from(executions).where(eq(executions.id, executionId));
  return outcomeOfRow(row);
}

/** Answers whether this call started it (false when it already had a start time). */
export async function markBatchStarted(db: Database, batchId: string): Promise<boolean> {
  const rows = await db
    .update(batches)
    .set({ startedAt: sql`now()` })
    .where(and(eq(batches.id, batchId), isNull(batches.startedAt)))
    .returning({ id: batches.id });
  return rows.length > 0;
}

export async function loadTargets(db: Database, batchId: string, fromSeq: number, limit: number): Promise<TargetRef[]> {
  return db
    .select({ executionId: executions.id, deviceId: executions.deviceId, deviceName: executions.deviceName, seq: executions.seq })
    .from(executions)
    .where(and(eq(executions.batchId, batchId), gte(executions.seq, fromSeq)))
    .orderBy(asc(executions.seq))
    .limit(limit);
}

/** Online on a gateway, with a heartbeat fresher than staleAfterMs. */
function isOnline(d: { gatewayId: string | null; online: boolean; lastSeenAt: Date | null }, staleAfterMs: number): boolean {
  return d.online && d.gatewayId !== null && d.lastSeenAt !== null && Date.now() - d.lastSeenAt.getTime() < staleAfterMs;
}

/** What the one-query presence check reads: the execution's status and its device's connection. */
export const PRESENCE_COLUMNS = { status: executions.status, gatewayId: devices.gatewayId, online: devices.online, lastSeenAt: devices.lastSeenAt };

/** The presence answer when a row read with PRESENCE_COLUMNS shows the device online and the execution not final. */
export function onlinePresence(
  seen: { status: ExecutionStatus; gatewayId: string | null; online: boolean; lastSeenAt: Date | null } | undefined,
  staleAfterMs: number,
): Presence | undefined {
  if (!seen || isFinalExecutionStatus(seen.status) || !isOnline(seen, staleAfterMs)) return undefined;
  return { kind: 'online', gatewayId: seen.gatewayId!, status: seen.status };
}

/**
 * Where the execution's device is connected right now. The device row is read FOR SHARE so that a
 * gateway marking the device online either commits first (we see it online) or waits for us (and then
 * finds this execution delayed and signals its workflow): no connection slips between the two.
 */
export async function checkPresence(db: Database, executionId: string, staleAfterMs: number): Promise<Presence> {
  // One round trip in the common case, a device online: no lock is needed to answer that.
  const [seen] = await db.select(PRESENCE_COLUMNS).from(executions).innerJoin(devices, eq(devices.id, executions.deviceId)).where(eq(executions.id, executionId));
  return onlinePresence(seen, staleAfterMs) ?? checkPresenceLocked(db, executionId, staleAfterMs);
}

/**
 * Offline (or final): the device row is read under a share lock, so a gateway marking the device online
 * meanwhile waits for this to commit and then sees the execution `delayed` (and wakes its workflow).
 */
export async function checkPresenceLocked(db: Database, executionId: string, staleAfterMs: number): Promise<Presence> {
  return db.transaction(async (tx) => {
    const [exec] = await tx
      .select({ status: executions.status, exitCode: executions.exitCode, deviceId: executions.deviceId })
      .from(executions)
      .where(eq(executions.id, executionId));
    if (!exec) throw new Error(`execution ${executionId} does not exist`);
    if (isFinalExecutionStatus(exec.status)) {
      const outcome = await readOutcome(tx, executionId);
      if (outcome) return { kind: 'final', outcome };
    }
    const [device] = await tx
      .select({ gatewayId: devices.gatewayId, online: devices.online, lastSeenAt: devices.lastSeenAt })
      .from(devices)
      .where(eq(devices.id, exec.deviceId))
      .for('share');
    if (device && isOnline(device, staleAfterMs)) return { kind: 'online', gatewayId: device.gatewayId!, status: exec.status };
    let status: ExecutionStatus = exec.status;
    if (exec.status === 'queued') {
      await tx
        .update(executions)
        .set({ status: 'delayed', updatedAt: new Date() })
        .where(and(eq(executions.id, executionId), eq(executions.status, 'queued')));
      status = 'delayed';
    }
    return { kind: 'offline', status };
  });
}

export async function finishExecution(
  db: Database,
  executionId: string,
  status: FinalExecutionStatus,
  error: string | null,
): Promise<DeviceOutcome> {
  await db
    .update(executions)
    .set({ status, error, completedAt: sql`coalesce(${executions.completedAt}, now())`, updatedAt: new Date() })
    .where(and(eq(executions.id, executionId), NOT_FINAL));
  const outcome = await readOutcome(db, executionId);
  if (!outcome) throw new Error(`execution ${executionId} did not reach a final status`);
  return outcome;
}

export async function finishBatch(db: Database, input: FinishBatchInput): Promise<BatchWorkflowResult> {
  return (await finishBatchOnce(db, input)).result;
}

/** finishBatch, also answering whether this call finished it (false when it had already finished: a retry). */
export async function finishBatchOnce(db: Database, input: FinishBatchInput): Promise<{ result: BatchWorkflowResult; first: boolean }> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const [before] = await tx.select({ completedAt: batches.completedAt }).from(batches).where(eq(batches.id, input.batchId)).for('update');
    // Devices never handed to an agent end as the batch says (skipped after a threshold, else cancelled).
    await tx
      .update(executions)
      .set({ status: input.leftover, updatedAt: now })
      .where(and(eq(executions.batchId, input.batchId), inArray(executions.status, ['queued', 'delayed'])));
    // Every device workflow ends in a final status before this runs; this only guards the invariant.
    await tx
      .update(executions)
      .set({ status: 'failed', error: 'no result was recorded before the batch ended', updatedAt: now })
      .where(and(eq(executions.batchId, input.batchId), NOT_FINAL));
    const rows = await tx
      .select({ status: executions.status, n: sql<number>`count(*)::int` })
      .from(executions)
      .where(eq(executions.batchId, input.batchId))
      .groupBy(executions.status);
    const counts: Partial<Record<ExecutionStatus, number>> = {};
    let total = 0;
    for (const r of rows) {
      counts[r.status] = r.n;
      total += r.n;
    }
    const status = decideBatchStatus(counts, total, input.reason);
    await tx
      .update(batches)
      .set({ status, error: input.error, completedAt: sql`coalesce(${batches.completedAt}, now())` })
      .where(eq(batches.id, input.batchId));
    return { result: { batchId: input.batchId, status, counts }, first: before?.completedAt === null };
  });
}
