// What the gateway writes about an execution: dispatch, start and the agent's result. Each write is
// one conditional UPDATE, so a re-sent result or a late frame never overwrites a final status.
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../client';
import { batches, executions } from '../schema';
import { isFinalExecutionStatus, type ExecutionStatus } from '../../domain/status';
import { NOT_FINAL } from './execution-state';
import type { StoredAction } from '../../domain/batch';
import type { ResultMessage } from '../../protocol/v1/messages';
import type { DeviceOutcome } from '../../workflows/definitions';

export interface DeliveryRow {
  status: ExecutionStatus;
  exitCode: number | null;
  deviceId: string;
  action: StoredAction;
}

export async function loadDelivery(db: Database, executionId: string): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .select({ status: executions.status, exitCode: executions.exitCode, deviceId: executions.deviceId, action: batches.action })
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

export async function markStarted(db: Database, executionId: string, deviceId: string, startedAt: Date): Promise<void> {
  await db
    .update(executions)
    .set({ status: 'running', startedAt, updatedAt: new Date() })
    .where(
      and(
        eq(executions.id, executionId),
        eq(executions.deviceId, deviceId),
        inArray(executions.status, ['queued', 'delayed', 'dispatched']),
      ),
    );
}

export async function executionDevice(db: Database, executionId: string): Promise<string | undefined> {
  const [row] = await db.select({ deviceId: executions.deviceId }).from(executions).where(eq(executions.id, executionId));
  return row?.deviceId;
}

/** The execution's device and batch, for checking and routing what an agent sends about it. */
export async function executionRoute(db: Database, executionId: string): Promise<{ deviceId: string; batchId: string } | undefined> {
  const [row] = await db
    .select({ deviceId: executions.deviceId, batchId: executions.batchId })
    .from(executions)
    .where(eq(executions.id, executionId));
  return row;
}

const stripNul = (s: string): string => s.replaceAll('\u0000', '');

/** Stores the agent's result unless a final status is already stored. Answers whether this call wrote it. */
export async function storeResult(db: Database, r: ResultMessage): Promise<boolean> {
  const rows = await db
    .update(executions)
    .set({
      status: r.status,
      exitCode: r.exitCode,
      stdout: stripNul(r.stdout),
      stderr: stripNul(r.stderr),
      truncated: r.truncated,
      startedAt: r.startedAt === null ? null : new Date(r.startedAt),
      completedAt: new Date(r.completedAt),
      error: r.error === null ? null : stripNul(r.error),
      updatedAt: new Date(),
    })
    .where(and(eq(executions.id, r.executionId), NOT_FINAL))
    .returning({ id: executions.id });
  return rows.length > 0;
}

/** The stored outcome, or undefined while the execution is not final. */
export async function readOutcome(db: Database, executionId: string): Promise<DeviceOutcome | undefined> {
  const [row] = await db
    .select({ status: executions.status, exitCode: executions.exitCode })
    .from(executions)
    .where(eq(executions.id, executionId));
  if (!row || !isFinalExecutionStatus(row.status)) return undefined;
  return { status: row.status, exitCode: row.exitCode };
}
