// Batches as the API creates and reads them: target resolution, the one-transaction insert of a
// batch with its executions, counts per status, and execution pages with their output cut short.
import { and, arrayContains, asc, eq, inArray, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { batches, devices, executions, groupMembers, type BatchRow } from '../schema';
import { ACTIVE_BATCH_STATUSES, EXECUTION_STATUSES, type BatchPurpose, type BatchStatus, type ExecutionStatus } from '../../domain/status';
import type { StoredStrategy, StoredTargets } from '../../domain/batch';
import type { StoredWork } from '../../domain/work';
import { devicesByIds } from './devices';
import { missingGroupIds } from './groups';
import { ownedBy, type OwnerScope } from './ownership';
import { inOutcomeGroup, outputContains } from './outcome-filters';
import type { OutcomeKey } from '../../domain/outcome';
import { encodeSeqCursor, timeKeyset, toPage, type Page, type TimeKey } from './pagination';

export interface Target {
  id: string;
  name: string;
}

export interface TargetResolution {
  /** Explicit device ids in the order given, then group and tag matches by device name; no duplicates. */
  targets: Target[];
  unknownDeviceIds: string[];
  unknownGroupIds: string[];
}

/**
 * `scope` is the owner whose devices and groups the batch may use (undefined: any owner's). Another
 * owner's device or group id is reported unknown exactly like a missing one; tags match only the
 * scope's devices, and so do the members of a group.
 */
export async function resolveTargets(db: Database, t: StoredTargets, scope: OwnerScope): Promise<TargetResolution> {
  const explicit = [...new Set(t.deviceIds ?? [])];
  const found = new Map((await devicesByIds(db, explicit, scope)).map((d) => [d.id, d]));
  const unknownDeviceIds = explicit.filter((id) => !found.has(id));
  const groupIds = [...new Set(t.groupIds ?? [])];
  const unknownGroupIds = await missingGroupIds(db, groupIds, scope);

  const selectors: SQL[] = [];
  if (groupIds.length > 0) {
    selectors.push(
      sql`exists (select 1 from ${groupMembers} where ${groupMembers.deviceId} = ${devices.id} and ${inArray(groupMembers.groupId, groupIds)})`,
    );
  }
  if (t.tags && t.tags.length > 0) selectors.push(arrayContains(devices.tags, t.tags));
  const matched =
    selectors.length === 0
      ? []
      : await db
          .select({ id: devices.id, name: devices.name })
          .from(devices)
          .where(and(or(...selectors), ownedBy(devices.owner, scope)))
          .orderBy(asc(devices.name), asc(devices.id));

  const targets: Target[] = [];
  const seen = new Set<string>();
  for (const d of [...explicit.flatMap((id) => found.get(id) ?? []), ...matched]) {
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    targets.push(d);
  }
  return { targets, unknownDeviceIds, unknownGroupIds };
}

export interface NewBatch extends StoredWork {
  id: string;
  owner: string;
  strategy: StoredStrategy;
  targets: StoredTargets;
  deliveryTimeoutSec: number;
  deadlineSec: number | null;
  workflowId: string;
  idempotencyKey: string | null;
  requestHash: string | null;
  purpose?: BatchPurpose;
  parentBatchId?: string | null;
  retryOf?: string | null;
  scheduleId?: string | null;
}

const INSERT_CHUNK = 1_000;

/** The owner already has the most running batches allowed; nothing was written. */
export class TooManyRunningBatchesError extends Error {
  constructor(readonly limit: number) {
    super(`at most ${limit} running batches per user`);
    this.name = 'TooManyRunningBatchesError';
  }
}

/**
 * The batch row and one queued execution per target (seq = position), all or nothing. With
 * maxRunning, the owner's running batches are counted under a per-owner lock in the same transaction,
 * so concurrent requests cannot both slip under the limit.
 */
export async function insertBatch(db: Database, batch: NewBatch, targets: readonly Target[], executionId: () => string, maxRunning?: number): Promise<void> {
  await db.transaction(async (tx) => {
    if (maxRunning !== undefined) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`flotilla.running-batches:${batch.owner}`}))`);
      // Paused batches still hold their place; a waves batch's health checks are part of it, not counted apart.
      const running = await tx.$count(
        batches,
        and(eq(batches.owner, batch.owner), inArray(batches.status, [...ACTIVE_BATCH_STATUSES]), eq(batches.purpose, 'run')),
      );
      if (running >= maxRunning) throw new TooManyRunningBatchesError(maxRunning);
    }
    await tx.insert(batches).values({ ...batch, status: 'running', targetCount: targets.length });
    for (let i = 0; i < targets.length; i += INSERT_CHUNK) {
      await tx.insert(executions).values(
        targets.slice(i, i + INSERT_CHUNK).map((d, j) => ({
          id: executionId(),
          batchId: batch.id,
          deviceId: d.id,
          deviceName: d.name,
          seq: i + j,
          status: 'queued' as const,
        })),
      );
    }
  });
}

export async function findBatchByIdempotencyKey(db: Database, owner: string, key: string): Promise<BatchRow | undefined> {
  const [row] = await db
    .select()
    .from(batches)
    .where(and(eq(batches.owner, owner), eq(batches.idempotencyKey, key)));
  return row;
}

export async function getBatch(db: Database, id: string, scope: OwnerScope): Promise<BatchRow | undefined> {
  const [row] = await db
    .select()
    .from(batches)
    .where(and(eq(batches.id, id), ownedBy(batches.owner, scope)));
  return row;
}

/** Batches still running or paused that were created before `createdBefore`, oldest first (for the reconciler). */
export async function activeBatchesCreatedBefore(db: Database, createdBefore: Date, limit: number): Promise<BatchRow[]> {
  return db
    .select()
    .from(batches)
    .where(and(inArray(batches.status, [...ACTIVE_BATCH_STATUSES]), lt(batches.createdAt, createdBefore)))
    .orderBy(asc(batches.createdAt))
    .limit(limit);
}

export interface BatchFilter {
  /** Only this owner's batches; undefined for every owner's. */
  owner: OwnerScope;
  status?: BatchStatus;
  after?: TimeKey;
  limit: number;
}

/** Newest first. */
export async function listBatches(db: Database, filter: BatchFilter): Promise<Page<BatchRow>> {
  const where: Array<SQL | undefined> = [ownedBy(batches.owner, filter.owner)];
  if (filter.status) where.push(eq(batches.status, filter.status));
  const keyset = timeKeyset(batches, 'desc', filter);
  const rows = await db
    .select({ row: batches, createdKey: keyset.createdKey })
    .from(batches)
    .where(and(...where, keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(keyset.fetch);
  return keyset.page(rows, (r) => r.row.id, (r) => r.row);
}

export type ExecutionStats = Record<ExecutionStatus, number>;

function emptyStats(): ExecutionStats {
  return Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as ExecutionStats;
}

/** Executions per status for each batch, every status present; one GROUP BY. */
export async function batchStats(db: Database, batchIds: readonly string[]): Promise<Map<string, ExecutionStats>> {
  const out = new Map(batchIds.map((id) => [id, emptyStats()]));
  if (batchIds.length === 0) return out;
  const rows = await db
    .select({ batchId: executions.batchId, status: executions.status, n: sql<number>`count(*)::int` })
    .from(executions)
    .where(inArray(executions.batchId, [...batchIds]))
    .groupBy(executions.batchId, executions.status);
  for (const r of rows) {
    const stats = out.get(r.batchId);
    if (stats && r.status in stats) stats[r.status] = Number(r.n);
  }
  return out;
}

/** Target device ids in batch order. */
export async function batchDeviceIds(db: Database, batchId: string): Promise<string[]> {
  const rows = await db
    .select({ deviceId: executions.deviceId })
    .from(executions)
    .where(eq(executions.batchId, batchId))
    .orderBy(asc(executions.seq));
  return rows.map((r) => r.deviceId);
}

/** Deletes a batch (executions cascade) unless it is still running or paused. */
export async function deleteFinishedBatch(db: Database, id: string, scope: OwnerScope): Promise<'deleted' | 'running' | 'not_found'> {
  const deleted = await db
    .delete(batches)
    .where(and(eq(batches.id, id), notInArray(batches.status, [...ACTIVE_BATCH_STATUSES]), ownedBy(batches.owner, scope)))
    .returning({ id: batches.id });
  if (deleted.length > 0) return 'deleted';
  return (await getBatch(db, id, scope)) ? 'running' : 'not_found';
}

export interface ExecutionView {
  id: string;
  deviceId: string;
  deviceName: string;
  seq: number;
  status: ExecutionStatus;
  exitCode: number | null;
  stdout: string | null;
  stderr: string | null;
  truncated: boolean;
  error: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  /** True when stdout or stderr was cut to the page's head size. */
  outputCut: boolean;
}

/** The first `maxBytes` of text, never splitting a character. */
export function headBytes(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return buf.subarray(0, end).toString('utf8');
}

const executionColumns = {
  id: executions.id,
  deviceId: executions.deviceId,
  deviceName: executions.deviceName,
  seq: executions.seq,
  status: executions.status,
  exitCode: executions.exitCode,
  truncated: executions.truncated,
  error: executions.error,
  startedAt: executions.startedAt,
  completedAt: executions.completedAt,
};

export interface ExecutionFilter {
  status?: ExecutionStatus;
  /** Only the executions of this outcome group. */
  group?: OutcomeKey;
  /** Only executions whose stdout (stderr) contains this text, in any case. */
  stdoutContains?: string;
  stderrContains?: string;
  /** Only executions whose stdout or stderr contains this text, in any case. */
  outputContains?: string;
  afterSeq?: number;
  limit: number;
  /** stdout and stderr are each cut to this many bytes. */
  outputHeadBytes: number;
}

type ExecutionListRow = Omit<ExecutionView, 'stdout' | 'stderr' | 'outputCut'> & {
  stdoutHead: string | null;
  stderrHead: string | null;
  stdoutBytes: number | null;
  stderrBytes: number | null;
};

/**
 * Runs an output search in a transaction that prices operators as costly. The planner prices ILIKE per
 * row, not per byte, so within one batch it would rather test every output (about 0.2 s per MiB of
 * output) than ask the pg_trgm index, which skips every output that cannot match. Measured on a
 * 10,000-device batch: 500 ms before, 10-40 ms after (docs/benchmarks.md).
 */
async function searchPlan<T>(db: Database, run: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local cpu_operator_cost = 1`);
    return run(tx as unknown as Database);
  });
}

export async function listExecutions(db: Database, batchId: string, filter: ExecutionFilter): Promise<Page<ExecutionView>> {
  const where: SQL[] = [eq(executions.batchId, batchId)];
  if (filter.status) where.push(eq(executions.status, filter.status));
  if (filter.group) where.push(inOutcomeGroup(filter.group));
  if (filter.stdoutContains !== undefined) where.push(outputContains('stdout', filter.stdoutContains));
  if (filter.stderrContains !== undefined) where.push(outputContains('stderr', filter.stderrContains));
  if (filter.outputContains !== undefined) where.push(outputContains('either', filter.outputContains));
  if (filter.afterSeq !== undefined) where.push(sql`${executions.seq} > ${filter.afterSeq}`);
  const max = filter.outputHeadBytes;
  const searching = [filter.stdoutContains, filter.stderrContains, filter.outputContains].some((t) => t !== undefined);
  const select = (q: Database): Promise<ExecutionListRow[]> =>
    q
      .select({
        ...executionColumns,
        // Characters are at most 4 bytes: this many characters always cover the head, and no more is read.
        stdoutHead: sql<string | null>`left(${executions.stdout}, ${max}::integer)`,
        stderrHead: sql<string | null>`left(${executions.stderr}, ${max}::integer)`,
        stdoutBytes: sql<number | null>`octet_length(${executions.stdout})`,
        stderrBytes: sql<number | null>`octet_length(${executions.stderr})`,
      })
      .from(executions)
      .where(and(...where))
      .orderBy(asc(executions.seq))
      .limit(filter.limit + 1);
  const rows = searching ? await searchPlan(db, select) : await select(db);
  return toPage(
    rows,
    filter.limit,
    (r) => encodeSeqCursor(r.seq),
    ({ stdoutHead, stderrHead, stdoutBytes, stderrBytes, ...r }) => {
      const stdout = stdoutHead === null ? null : headBytes(stdoutHead, max);
      const stderr = stderrHead === null ? null : headBytes(stderrHead, max);
      const cut =
        (stdout !== null && Buffer.byteLength(stdout) < Number(stdoutBytes)) ||
        (stderr !== null && Buffer.byteLength(stderr) < Number(stderrBytes));
      return { ...r, stdout, stderr, outputCut: cut };
    },
  );
}

export async function getExecution(db: Database, batchId: string, deviceId: string): Promise<ExecutionView | undefined> {
  const [row] = await db
    .select({ ...executionColumns, stdout: executions.stdout, stderr: executions.stderr })
    .from(executions)
    .where(and(eq(executions.batchId, batchId), eq(executions.deviceId, deviceId)));
  return row ? { ...row, outputCut: false } : undefined;
}

/** Devices of a batch whose execution ended in one of `statuses`, in batch order. */
export async function deviceIdsInStatuses(db: Database, batchId: string, statuses: readonly ExecutionStatus[]): Promise<string[]> {
  const rows = await db
    .select({ deviceId: executions.deviceId })
    .from(executions)
    .where(and(eq(executions.batchId, batchId), inArray(executions.status, [...statuses])))
    .orderBy(asc(executions.seq));
  return rows.map((r) => r.deviceId);
}
