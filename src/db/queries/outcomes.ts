// Outcome groups of a batch: its devices grouped by the outcome key stored with every execution (or with
// one step's result), largest group first. Reads the key index and one sample row per group, never every
// output. Output search: case-insensitive substring matches served by the pg_trgm indexes.
import { and, desc, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../client';
import { executions, executionSteps } from '../schema';
import type { OutcomeNormalization } from '../../domain/outcome';
import type { ExecutionStatus } from '../../domain/status';
import { headBytes } from './batches';
import { keyColumn } from './outcome-filters';

/** Device ids listed with each group; the rest are a page of the executions list away. */
export const GROUP_DEVICE_SAMPLE = 20;

export interface OutcomeGroupRow {
  hash: string;
  status: ExecutionStatus;
  exitCode: number | null;
  count: number;
  /** The smallest seq of the group: its sample device, and the tie-break of the order. */
  firstSeq: number;
  truncated: boolean;
  deviceIds: string[];
  stdoutSample: string;
  stderrSample: string;
}

export interface OutcomeGroupCursor {
  count: number;
  firstSeq: number;
}

export interface OutcomeGroupQuery {
  normalize: OutcomeNormalization;
  /** Group one step's results (0-based) instead of the executions' own outcomes. */
  step: number | null;
  limit: number;
  after: OutcomeGroupCursor | null;
  sampleBytes: number;
}

export interface OutcomeGroupPage {
  items: OutcomeGroupRow[];
  /** How many groups the batch has in all. */
  distinct: number;
  next: OutcomeGroupCursor | null;
}


/** The rows one group is computed from: the executions of the batch, or their results of one step. */
function groupSource(db: Database, batchId: string, q: Pick<OutcomeGroupQuery, 'normalize' | 'step'>) {
  if (q.step === null) {
    const key = keyColumn(executions, q.normalize);
    return db
      .select({
        hash: sql<string>`${key}`.as('g_hash'),
        status: sql<ExecutionStatus>`${executions.status}`.as('g_status'),
        exitCode: sql<number | null>`${executions.exitCode}`.as('g_exit_code'),
        count: sql<number>`count(*)::int`.as('g_n'),
        firstSeq: sql<number>`min(${executions.seq})`.as('g_first_seq'),
        truncated: sql<boolean>`bool_or(${executions.truncated})`.as('g_truncated'),
        deviceIds: sql<string[]>`(array_agg(${executions.deviceId} order by ${executions.seq}))[1:${sql.raw(String(GROUP_DEVICE_SAMPLE))}]`.as('g_device_ids'),
      })
      .from(executions)
      .where(eq(executions.batchId, batchId))
      .groupBy(key, executions.status, executions.exitCode);
  }
  const key = keyColumn(executionSteps, q.normalize);
  return db
    .select({
      hash: sql<string>`${key}`.as('g_hash'),
      status: sql<ExecutionStatus>`${executionSteps.status}`.as('g_status'),
      exitCode: sql<number | null>`${executionSteps.exitCode}`.as('g_exit_code'),
      count: sql<number>`count(*)::int`.as('g_n'),
      firstSeq: sql<number>`min(${executions.seq})`.as('g_first_seq'),
      truncated: sql<boolean>`bool_or(${executionSteps.truncated})`.as('g_truncated'),
      deviceIds: sql<string[]>`(array_agg(${executions.deviceId} order by ${executions.seq}))[1:${sql.raw(String(GROUP_DEVICE_SAMPLE))}]`.as('g_device_ids'),
    })
    .from(executionSteps)
    .innerJoin(executions, eq(executions.id, executionSteps.executionId))
    .where(and(eq(executions.batchId, batchId), eq(executionSteps.idx, q.step)))
    .groupBy(key, executionSteps.status, executionSteps.exitCode);
}

export async function outcomeGroups(db: Database, batchId: string, q: OutcomeGroupQuery): Promise<OutcomeGroupPage> {
  const groups = db.$with('groups').as(groupSource(db, batchId, q));
  const head = (col: PgColumn): SQL<string> => sql<string>`coalesce(left(${col}, ${q.sampleBytes}::integer), '')`;
  // The sample is the group's first device (in target order): its execution, or its result of the step.
  const sample = q.step === null ? executions : executionSteps;
  const base = db
    .with(groups)
    .select({
      hash: groups.hash,
      status: groups.status,
      exitCode: groups.exitCode,
      count: groups.count,
      firstSeq: groups.firstSeq,
      truncated: groups.truncated,
      deviceIds: groups.deviceIds,
      stdoutSample: head(sample.stdout),
      stderrSample: head(sample.stderr),
    })
    .from(groups)
    .innerJoin(executions, and(eq(executions.batchId, batchId), eq(executions.seq, groups.firstSeq)));
  const step = q.step;
  const joined =
    step === null ? base : base.innerJoin(executionSteps, and(eq(executionSteps.executionId, executions.id), eq(executionSteps.idx, step)));
  const after = q.after;
  const [rows, distinct] = await Promise.all([
    joined
      .where(
        after
          ? sql`(${groups.count} < ${after.count} or (${groups.count} = ${after.count} and ${groups.firstSeq} > ${after.firstSeq}))`
          : undefined,
      )
      .orderBy(desc(groups.count), asc(groups.firstSeq))
      .limit(q.limit + 1),
    countGroups(db, batchId, q),
  ]);
  const items = rows.slice(0, q.limit).map((r) => ({
    ...r,
    count: Number(r.count),
    firstSeq: Number(r.firstSeq),
    stdoutSample: headBytes(r.stdoutSample, q.sampleBytes),
    stderrSample: headBytes(r.stderrSample, q.sampleBytes),
  }));
  const last = items[items.length - 1];
  return { items, distinct, next: rows.length > q.limit && last ? { count: last.count, firstSeq: last.firstSeq } : null };
}

async function countGroups(db: Database, batchId: string, q: Pick<OutcomeGroupQuery, 'normalize' | 'step'>): Promise<number> {
  const groups = groupSource(db, batchId, q).as('groups');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(groups);
  return Number(row?.n ?? 0);
}
