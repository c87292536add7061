// What the gateway writes about an execution: dispatch, start and the agent's result. Each write is
// one conditional statement, so a re-sent result or a late frame never overwrites a final status.
import { and, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { batches, devices, executions, executionSteps } from '../schema';
import { stripNul } from './execution-steps';
import type { ExecutionStatus } from '../../domain/status';
import type { DeviceOutcome, Presence } from '../../workflows/definitions';
import { NOT_FINAL, OUTCOME_COLUMNS, PRESENCE_COLUMNS, checkPresenceLocked, onlinePresence, outcomeOfRow, type OutcomeRow } from './execution-state';
import type { StoredWork } from '../../domain/work';
import type { ResultMessage, StepResult } from '../../protocol/v1/messages';

export interface DeliveryRow extends StoredWork {
  status: ExecutionStatus;
  exitCode: number | null;
  deviceId: string;
}

const DELIVERY_COLUMNS = { status: executions.status, exitCode: executions.exitCode, deviceId: executions.deviceId, steps: batches.steps, stepMode: batches.stepMode };

export async function loadDelivery(db: Database, executionId: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select(DELIVERY_COLUMNS).from(executions).innerJoin(batches, eq(batches.id, executions.batchId)).where(eq(executions.id, executionId));
  return row;
}

/**
 * checkPresence for a delivery about to be made here: a device online comes with what delivering needs
 * (loadDelivery's row), read by the same query.
 */
export async function checkPresenceToDeliver(
  db: Database,
  executionId: string,
  staleAfterMs: number,
): Promise<{ presence: Presence; delivery: DeliveryRow | undefined }> {
  const [seen] = await db
    .select({ ...DELIVERY_COLUMNS, ...PRESENCE_COLUMNS })
    .from(executions)
    .innerJoin(devices, eq(devices.id, executions.deviceId))
    .innerJoin(batches, eq(batches.id, executions.batchId))
    .where(eq(executions.id, executionId));
  const online = onlinePresence(seen, staleAfterMs);
  if (online) return { presence: online, delivery: seen };
  return { presence: await checkPresenceLocked(db, executionId, staleAfterMs), delivery: undefined };
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
 * answers the outcome it wrote, or null when it wrote nothing. One statement whether or not step results
 * come with it (they are inserted by the same statement, only when the execution's row was written), so a
 * result is stored whole or not at all. A lone step's output is also the execution's.
 */
export async function storeResult(db: Database, deviceId: string, r: ResultMessage): Promise<DeviceOutcome | null> {
  const lone = r.steps?.length === 1 ? r.steps[0] : undefined;
  const write = db
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
    .where(and(eq(executions.id, r.executionId), eq(executions.deviceId, deviceId), isNotNull(executions.dispatchedAt), NOT_FINAL));
  const steps = r.steps ?? [];
  if (steps.length === 0) return outcomeOfRow((await write.returning(OUTCOME_COLUMNS))[0]) ?? null;
  const { rows } = (await db.execute(sql`
    with written as (${write.returning({ batchId: sql`${executions.batchId}`.as('batchId'), ...RETURNED_OUTCOME }).getSQL()}),
    stored_steps as (
      insert into ${executionSteps} (execution_id, idx, kind, status, exit_code, stdout, stderr, truncated, error, started_at, completed_at, bytes, sha256)
      select ${r.executionId}::uuid, s.idx, coalesce(${batches.steps} -> s.idx ->> 'type', 'command'), s.status, s.exit_code, s.stdout, s.stderr,
        s.truncated, s.error, s.started_at, s.completed_at, s.bytes, s.sha256
      from written join ${batches} on ${batches.id} = written."batchId"
      cross join jsonb_to_recordset(${JSON.stringify(steps.map(stepRecord))}::jsonb) as s(idx int, status text, exit_code int, stdout text,
        stderr text, truncated boolean, error text, started_at timestamptz, completed_at timestamptz, bytes bigint, sha256 text)
      on conflict do nothing
    )
    select "status", "exitCode", "error", "stderrHead" from written`)) as unknown as { rows: Array<OutcomeRow> };
  return outcomeOfRow(rows[0]) ?? null;
}

/** OUTCOME_COLUMNS under their own names, for reading them back out of a WITH query. */
const RETURNED_OUTCOME = Object.fromEntries(
  Object.entries(OUTCOME_COLUMNS).map(([name, column]) => [name, sql`${column}`.as(name)]),
) as { [K in keyof typeof OUTCOME_COLUMNS]: SQL.Aliased<OutcomeRow[K]> };

/** One step result as the statement's jsonb_to_recordset reads it (NULs stripped: text cannot hold them). */
function stepRecord(s: StepResult): Record<string, unknown> {
  return {
    idx: s.index,
    status: s.status,
    exit_code: s.exitCode,
    stdout: stripNul(s.stdout),
    stderr: stripNul(s.stderr),
    truncated: s.truncated,
    error: s.error === null ? null : stripNul(s.error),
    started_at: s.startedAt,
    completed_at: s.completedAt,
    bytes: s.bytes,
    sha256: s.sha256,
  };
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
