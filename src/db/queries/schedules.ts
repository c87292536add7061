// Schedules as stored: the row the API writes and a run reads, soft deletion (finished by the reconciler
// after a crash), and the runs each schedule took with their batch's status.
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { BatchStatus } from '../../domain/status';
import type { Database } from '../client';
import { batches, scheduleRuns, schedules, type ScheduleRow, type ScheduleRunRow } from '../schema';
import { timeKeyset, type Page, type TimeKey } from './pagination';

export type NewSchedule = typeof schedules.$inferInsert;

export async function insertSchedule(db: Database, row: NewSchedule): Promise<ScheduleRow> {
  const [stored] = await db.insert(schedules).values(row).returning();
  if (!stored) throw new Error(`schedule ${row.id} was not stored`);
  return stored;
}

/** A live schedule; with owner, only if that owner's (someone else's answers like a missing one). */
export async function getSchedule(db: Database, id: string, owner?: string): Promise<ScheduleRow | undefined> {
  const where: SQL[] = [eq(schedules.id, id), isNull(schedules.deletedAt)];
  if (owner !== undefined) where.push(eq(schedules.owner, owner));
  const [row] = await db
    .select()
    .from(schedules)
    .where(and(...where));
  return row;
}

/** Every schedule row, those marked deleted included (for the reconciler). */
export async function allScheduleRows(db: Database): Promise<ScheduleRow[]> {
  return db.select().from(schedules);
}

export interface ScheduleFilter {
  owner?: string;
  after?: TimeKey;
  limit: number;
}

/** Newest first; deleted ones never. */
export async function listSchedules(db: Database, filter: ScheduleFilter): Promise<Page<ScheduleRow>> {
  const where: SQL[] = [isNull(schedules.deletedAt)];
  if (filter.owner !== undefined) where.push(eq(schedules.owner, filter.owner));
  const keyset = timeKeyset(schedules, 'desc', filter);
  const rows = await db
    .select({ row: schedules, createdKey: keyset.createdKey })
    .from(schedules)
    .where(and(...where, keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(keyset.fetch);
  return keyset.page(rows, (r) => r.row.id, (r) => r.row);
}

export type ScheduleChanges = Partial<Pick<ScheduleRow, 'spec' | 'batch' | 'batchSealed' | 'overlap' | 'timezone' | 'paused' | 'note'>>;

export async function updateSchedule(db: Database, id: string, changes: ScheduleChanges): Promise<ScheduleRow | undefined> {
  const [row] = await db
    .update(schedules)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(schedules.id, id), isNull(schedules.deletedAt)))
    .returning();
  return row;
}

export async function markScheduleDeleted(db: Database, id: string): Promise<void> {
  await db.update(schedules).set({ deletedAt: new Date() }).where(eq(schedules.id, id));
}

/** Removes the row and its run records; the batches it started stay. */
export async function deleteScheduleRow(db: Database, id: string): Promise<void> {
  await db.delete(schedules).where(eq(schedules.id, id));
}

export async function findRun(db: Database, workflowId: string): Promise<ScheduleRunRow | undefined> {
  const [row] = await db.select().from(scheduleRuns).where(eq(scheduleRuns.workflowId, workflowId));
  return row;
}

/** Records a run once per run workflow id; answers the stored record. */
export async function recordRun(db: Database, run: typeof scheduleRuns.$inferInsert): Promise<ScheduleRunRow> {
  await db.insert(scheduleRuns).values(run).onConflictDoNothing({ target: scheduleRuns.workflowId });
  const stored = await findRun(db, run.workflowId);
  if (!stored) throw new Error(`run ${run.workflowId} was not recorded`);
  return stored;
}

export interface RunView {
  id: string;
  workflowId: string;
  batchId: string | null;
  /** The batch's status, or failed when the run could not start one. */
  status: BatchStatus | 'failed';
  error: string | null;
  targetCount: number | null;
  createdAt: Date;
}

const runColumns = {
  id: scheduleRuns.id,
  workflowId: scheduleRuns.workflowId,
  batchId: scheduleRuns.batchId,
  outcome: scheduleRuns.outcome,
  runError: scheduleRuns.error,
  batchStatus: batches.status,
  batchError: batches.error,
  targetCount: batches.targetCount,
  createdAt: scheduleRuns.createdAt,
};

type RunJoin = { outcome: 'started' | 'failed'; runError: string | null; batchStatus: BatchStatus | null; batchError: string | null } & Omit<
  RunView,
  'status' | 'error'
>;

function toRunView({ outcome, runError, batchStatus, batchError, ...r }: RunJoin): RunView {
  const status = outcome === 'failed' ? 'failed' : (batchStatus ?? 'failed');
  const error = outcome === 'failed' ? runError : batchStatus === null ? 'the batch was deleted' : batchError;
  return { ...r, status, error };
}

/** A schedule's runs, newest first. */
export async function listRuns(db: Database, scheduleId: string, filter: { after?: TimeKey; limit: number }): Promise<Page<RunView>> {
  const keyset = timeKeyset(scheduleRuns, 'desc', filter);
  const rows = await db
    .select({ ...runColumns, createdKey: keyset.createdKey })
    .from(scheduleRuns)
    .leftJoin(batches, eq(batches.id, scheduleRuns.batchId))
    .where(and(eq(scheduleRuns.scheduleId, scheduleId), keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(keyset.fetch);
  return keyset.page(rows, (r) => r.id, ({ createdKey: _, ...r }) => toRunView(r));
}

export interface RunSummary {
  count: number;
  last: RunView | null;
}

/** Run count and latest run of each schedule. */
export async function runSummaries(db: Database, scheduleIds: readonly string[]): Promise<Map<string, RunSummary>> {
  const out = new Map<string, RunSummary>(scheduleIds.map((id) => [id, { count: 0, last: null }]));
  if (scheduleIds.length === 0) return out;
  const ids = [...scheduleIds];
  const counts = await db
    .select({ scheduleId: scheduleRuns.scheduleId, n: sql<number>`count(*)::int` })
    .from(scheduleRuns)
    .where(inArray(scheduleRuns.scheduleId, ids))
    .groupBy(scheduleRuns.scheduleId);
  const latest = await db
    .selectDistinctOn([scheduleRuns.scheduleId], { scheduleId: scheduleRuns.scheduleId, ...runColumns })
    .from(scheduleRuns)
    .leftJoin(batches, eq(batches.id, scheduleRuns.batchId))
    .where(inArray(scheduleRuns.scheduleId, ids))
    .orderBy(scheduleRuns.scheduleId, desc(scheduleRuns.createdAt), desc(scheduleRuns.id));
  for (const c of counts) out.set(c.scheduleId, { count: Number(c.n), last: null });
  for (const { scheduleId, ...r } of latest) {
    const s = out.get(scheduleId);
    if (s) s.last = toRunView(r);
  }
  return out;
}
