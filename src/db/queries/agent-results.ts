// What the gateway writes about an execution: dispatch, start and the agent's result. Each write is
// one conditional UPDATE, so a re-sent result or a late frame never overwrites a final status.
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { batches, executions, executionSteps } from '../schema';
import { stepRows, stripNul } from './execution-steps';
import type { ExecutionStatus } from '../../domain/status';
import type { DeviceOutcome } from '../../workflows/definitions';
import { NOT_FINAL, OUTCOME_COLUMNS, outcomeOfRow } from './execution-state';
import type { StoredWork } from '../../domain/work';
import type { ResultMessage } from '../../protocol/v1/messages';

export interface DeliveryRow extends StoredWork {
  status: ExecutionStatus;
  exitCode: number | null;
  deviceId: string;
}

export async function loadDelivery(db: Database, executionId: string): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .select({ status: executions.status, exitCode: executions.exitCode, deviceId: executions.deviceId, steps: batches.steps, stepMode: batches.stepMode })
    .from(executions)
    .innerJoin(batches, eq(batches.id, executions.batchId))
    .where(eq(executions.id, executionId));
  return row;
}

/** queued/delayed -> dispatched; an execution already running (a re-send after reconnect) keeps its status. */
export async function markDispatched(db: Database, executionId: string, gatewayId: string): Promise<void> {
  const now = new Date();
  await db
    .update(executions)
    .set({ status: 'dispatched', dispatchedAt: now, gatewayId, updatedAt: now })
    .where(and(eq(executions.id, executionId), inArray(executions.status, ['queued', 'delayed'])));
}

/** Answers whether the row changed; false for a final or running execution, or one not dispatched to this device. */
export async function markStarted(db: Database, executionId: string, deviceId: string, startedAt: Date): Promise<boolean> {
  const rows = await db
    .update(executions)
    .set({ status: 'running', startedAt, updatedAt: new Date() })
    .where(
      and(
        eq(executions.id, executionId),
        eq(executions.deviceId, deviceId),
        isNotNull(executions.dispatchedAt),
        inArray(executions.status, ['queued', 'delayed', 'dispatched']),
      ),
    )
    .returning({ id: executions.id });
  return rows.length > 0;
}

/** Of the given execution ids, those that exist but were never dispatched to this device. */
export async function executionsNotDispatchedTo(db: Database, deviceId: string, executionIds: readonly string[]): Promise<string[]> {
  if (executionIds.length === 0) return [];
  const rows = await db
    .select({ id: executions.id, deviceId: executions.deviceId, dispatchedAt: executions.dispatchedAt })
    .from(executions)
    .where(inArray(executions.id, [...new Set(executionIds)]));
  return rows.filter((r) => r.deviceId !== deviceId || r.dispatchedAt === null).map((r) => r.id);
}

/** True when the execution exists, belongs to the device and was dispatched (to it, then). */
export async function wasDispatchedTo(db: Database, executionId: string, deviceId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: executions.id })
    .from(executions)
    .where(and(eq(executions.id, executionId), eq(executions.deviceId, deviceId), isNotNull(executions.dispatchedAt)));
  return row !== undefined;
}

export interface ExecutionRoute {
  deviceId: string;
  deviceName: string;
  batchId: string;
  /** Whether it was ever dispatched (to its device). */
  dispatched: boolean;
}

/** The execution's device and batch, for checking and routing what an agent sends about it. */
export async function executionRoute(db: Database, executionId: string): Promise<ExecutionRoute | undefined> {
  const [row] = await db
    .select({ deviceId: executions.deviceId, deviceName: executions.deviceName, batchId: executions.batchId, dispatchedAt: executions.dispatchedAt })
    .from(executions)
    .where(eq(executions.id, executionId));
  return row && { deviceId: row.deviceId, deviceName: row.deviceName, batchId: row.batchId, dispatched: row.dispatchedAt !== null };
}

/**
 * Stores the agent's result unless the execution is already final (or not dispatched to this device);
 * answers the outcome it wrote, or null when it wrote nothing. One UPDATE for a single-command result; a
 * transaction only when step results are stored with it. A lone step's output is also the execution's.
 */
export async function storeResult(db: Database, deviceId: string, r: ResultMessage): Promise<DeviceOutcome | null> {
  const lone = r.steps?.length === 1 ? r.steps[0] : undefined;
  const write = (tx: Database) =>
    tx
      .update(executions)
      .set({
        status: r.status,
        exitCode: r.exitCode,
        stdout: stripNul(lone?.stdout ?? r.stdout),
        stderr: stripNul(lone?.stderr ?? r.stderr),
        truncated: lone?.truncated ?? r.truncated,
        startedAt: r.startedAt === null ? null : new Date(r.startedAt),
        completedAt: new Date(r.completedAt),
        error: r.error === null ? null : stripNul(r.error),
        updatedAt: new Date(),
      })
      .where(and(eq(executions.id, r.executionId), eq(executions.deviceId, deviceId), isNotNull(executions.dispatchedAt), NOT_FINAL))
      .returning({ batchId: executions.batchId, ...OUTCOME_COLUMNS });
  const outcomeOf = ([row]: Awaited<ReturnType<typeof write>>): DeviceOutcome | null => outcomeOfRow(row) ?? null;
  const steps = r.steps ?? [];
  if (steps.length === 0) return outcomeOf(await write(db));
  return db.transaction(async (tx) => {
    const rows = await write(tx);
    const [written] = rows;
    if (!written) return null;
    const [batch] = await tx.select({ steps: batches.steps }).from(batches).where(eq(batches.id, written.batchId));
    const kinds = (batch?.steps ?? []).map((s) => s.type);
    await tx.insert(executionSteps).values(stepRows(r.executionId, steps, kinds)).onConflictDoNothing();
    return outcomeOf(rows);
  });
}

export { readOutcome } from './execution-state';

/**
 * Whether this device may pull this file for this execution: the execution is its own, handed over
 * (dispatched or running), and one of its batch's steps pushes that file.
 */
export async function mayServeFile(db: Database, executionId: string, deviceId: string, fileId: string): Promise<boolean> {
  const needle = JSON.stringify([{ type: 'file', fileId }]);
  const [row] = await db
    .select({ id: executions.id })
    .from(executions)
    .innerJoin(batches, eq(batches.id, executions.batchId))
    .where(
      and(
        eq(executions.id, executionId),
        eq(executions.deviceId, deviceId),
        inArray(executions.status, ['dispatched', 'running']),
        sql`${batches.steps} @> ${needle}::jsonb`,
      ),
    );
  return row !== undefined;
}
