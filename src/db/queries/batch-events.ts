// Reading the batch event log. Ids come from a sequence, so a transaction can commit a row with a
// smaller id after a reader has passed a bigger one. Readers therefore take only rows written by
// transactions older than every transaction still running (tx < the snapshot's xmin), in (tx, id)
// order: every such row is already committed or rolled back, and every row that becomes visible later
// sorts after them. A position is the (tx, id) of the last row read; nothing is skipped or read twice.
import { and, asc, desc, eq, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { batchEvents, batches, executions } from '../schema';
import type { BatchEventType } from '../../domain/batch-events';
import type { ExecutionStatus } from '../../domain/status';

export interface EventPosition {
  tx: number;
  id: number;
}

export interface BatchEventRow {
  position: EventPosition;
  type: BatchEventType;
  data: Record<string, unknown>;
  createdAt: Date;
}

export class InvalidPositionError extends Error {
  constructor(raw: string) {
    super(`"${raw.slice(0, 40)}" is not an event id this API produced`);
    this.name = 'InvalidPositionError';
  }
}

export function encodePosition(p: EventPosition): string {
  return `${p.tx}-${p.id}`;
}

export function decodePosition(raw: string): EventPosition {
  const m = /^(\d{1,18})-(\d{1,18})$/.exec(raw.trim());
  if (!m) throw new InvalidPositionError(raw);
  return { tx: Number(m[1]), id: Number(m[2]) };
}

export function positionAfter(a: EventPosition, b: EventPosition): boolean {
  return a.tx > b.tx || (a.tx === b.tx && a.id > b.id);
}

const safeHorizon = sql`(pg_snapshot_xmin(pg_current_snapshot())::text)::bigint`;

/** The position before every row a transaction still running may write: where a snapshot stands. */
export async function currentPosition(db: Database): Promise<EventPosition> {
  // node-postgres and PGlite both answer raw queries with { rows }.
  const result = (await db.execute(sql`select ${safeHorizon}::text as xmin`)) as unknown as { rows: Array<{ xmin: string }> };
  return { tx: Number(result.rows[0]?.xmin), id: 0 };
}

/** Rows after `after`, in log order, at most `limit`; output chunks only when asked. */
export async function readBatchEvents(
  db: Database,
  batchId: string,
  after: EventPosition,
  opts: { limit: number; output: boolean },
): Promise<BatchEventRow[]> {
  const where: SQL[] = [
    eq(batchEvents.batchId, batchId),
    sql`(${batchEvents.tx}, ${batchEvents.id}) > (${after.tx}::bigint, ${after.id}::bigint)`,
    sql`${batchEvents.tx} < ${safeHorizon}`,
  ];
  if (!opts.output) where.push(ne(batchEvents.type, 'output'));
  const rows = await db
    .select({ id: batchEvents.id, tx: batchEvents.tx, type: batchEvents.type, data: batchEvents.data, createdAt: batchEvents.createdAt })
    .from(batchEvents)
    .where(and(...where))
    .orderBy(asc(batchEvents.tx), asc(batchEvents.id))
    .limit(opts.limit);
  return rows.map((r) => ({ position: { tx: Number(r.tx), id: Number(r.id) }, type: r.type, data: r.data, createdAt: r.createdAt }));
}

/** Where the batch's last status change sits in the log (undefined when it has none). */
export async function lastBatchStatusEvent(db: Database, batchId: string): Promise<EventPosition | undefined> {
  const [row] = await db
    .select({ id: batchEvents.id, tx: batchEvents.tx })
    .from(batchEvents)
    .where(and(eq(batchEvents.batchId, batchId), eq(batchEvents.type, 'batch')))
    .orderBy(desc(batchEvents.tx), desc(batchEvents.id))
    .limit(1);
  return row ? { tx: Number(row.tx), id: Number(row.id) } : undefined;
}

export interface DeviceState {
  executionId: string;
  deviceId: string;
  deviceName: string;
  seq: number;
  status: ExecutionStatus;
  exitCode: number | null;
}

/** One keyset page of the batch's devices and their current status, in target order. */
export async function deviceStatePage(db: Database, batchId: string, afterSeq: number, limit: number): Promise<DeviceState[]> {
  return db
    .select({
      executionId: executions.id,
      deviceId: executions.deviceId,
      deviceName: executions.deviceName,
      seq: executions.seq,
      status: executions.status,
      exitCode: executions.exitCode,
    })
    .from(executions)
    .where(and(eq(executions.batchId, batchId), sql`${executions.seq} > ${afterSeq}`))
    .orderBy(asc(executions.seq))
    .limit(limit);
}

export interface NewOutputEvent {
  batchId: string;
  executionId: string;
  deviceId: string;
  deviceName: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Appends live output chunks in one multi-row INSERT. */
export async function appendOutputEvents(db: Database, chunks: readonly NewOutputEvent[]): Promise<void> {
  if (chunks.length === 0) return;
  await db.insert(batchEvents).values(
    chunks.map((c) => ({
      batchId: c.batchId,
      type: 'output' as const,
      data: { executionId: c.executionId, deviceId: c.deviceId, deviceName: c.deviceName, stream: c.stream, text: c.text },
    })),
  );
}

/**
 * Retention: live output is only a preview (each result stores the output for good), so a batch's
 * output chunks are deleted once it has been finished for a while. Answers how many rows went.
 */
export async function pruneOutputEvents(db: Database, finishedBefore: Date): Promise<number> {
  const done = db
    .select({ id: batches.id })
    .from(batches)
    .where(lt(batches.completedAt, finishedBefore));
  const deleted = await db
    .delete(batchEvents)
    .where(and(eq(batchEvents.type, 'output'), inArray(batchEvents.batchId, done)))
    .returning({ id: batchEvents.id });
  return deleted.length;
}
