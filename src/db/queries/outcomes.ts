// Outcome groups of a batch: its devices grouped by the outcome key stored with every execution (or with
// one step's result), largest group first. Reads the key index and one sample row per group, never every
// output. Output search: case-insensitive substring matches served by the pg_trgm indexes.
import { sql, type SQL } from 'drizzle-orm';
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


/**
 * One query: the groups (key, size, first device) from the key index, the requested page of them, and
 * for that page only: the sample device's status, exit code and output heads, the first device ids and
 * whether any output was cut. Status and exit code are part of the key, so the sample's are the group's.
 */
export async function outcomeGroups(db: Database, batchId: string, q: OutcomeGroupQuery): Promise<OutcomeGroupPage> {
  const sampleLimit = sql.raw(String(GROUP_DEVICE_SAMPLE));
  const after = q.after ? sql`where n < ${q.after.count} or (n = ${q.after.count} and first_seq > ${q.after.firstSeq})` : sql``;
  const query =
    q.step === null
      ? executionGroupsSql(batchId, keyColumn(executions, q.normalize), after, q, sampleLimit)
      : stepGroupsSql(batchId, q.step, keyColumn(executionSteps, q.normalize), after, q, sampleLimit);
  const result = (await db.execute(query)) as unknown as { rows: RawGroup[] };
  const rows = result.rows;
  const items = rows.slice(0, q.limit).map((r) => ({
    hash: r.hash,
    status: r.status,
    exitCode: r.exit_code === null ? null : Number(r.exit_code),
    count: Number(r.n),
    firstSeq: Number(r.first_seq),
    truncated: r.truncated === true,
    deviceIds: r.device_ids,
    stdoutSample: headBytes(r.stdout_head ?? '', q.sampleBytes),
    stderrSample: headBytes(r.stderr_head ?? '', q.sampleBytes),
  }));
  const last = items[items.length - 1];
  const distinct = rows[0] ? Number(rows[0].total) : q.after ? await countGroups(db, batchId, q) : 0;
  return { items, distinct, next: rows.length > q.limit && last ? { count: last.count, firstSeq: last.firstSeq } : null };
}

interface RawGroup {
  hash: string;
  n: number | string;
  first_seq: number | string;
  total: number | string;
  status: ExecutionStatus;
  exit_code: number | string | null;
  truncated: boolean | null;
  device_ids: string[];
  stdout_head: string | null;
  stderr_head: string | null;
}

function executionGroupsSql(batchId: string, key: PgColumn, after: SQL, q: OutcomeGroupQuery, sampleLimit: SQL): SQL {
  return sql`
    with grouped as (
      select ${key} as hash, count(*) as n, min(${executions.seq}) as first_seq, count(*) over () as total
      from ${executions} where ${executions.batchId} = ${batchId} group by ${key}
    ), page as (
      select * from grouped ${after} order by n desc, first_seq asc limit ${q.limit + 1}
    )
    select page.hash, page.n, page.first_seq, page.total, e.status, e.exit_code,
      left(e.stdout, ${q.sampleBytes}::integer) as stdout_head, left(e.stderr, ${q.sampleBytes}::integer) as stderr_head,
      (select bool_or(x.truncated) from ${executions} x where x.batch_id = ${batchId} and x.${sql.identifier(key.name)} = page.hash) as truncated,
      array(select x.device_id from ${executions} x where x.batch_id = ${batchId} and x.${sql.identifier(key.name)} = page.hash order by x.seq limit ${sampleLimit}) as device_ids
    from page join ${executions} e on e.batch_id = ${batchId} and e.seq = page.first_seq
    order by page.n desc, page.first_seq asc`;
}

function stepGroupsSql(batchId: string, step: number, key: PgColumn, after: SQL, q: OutcomeGroupQuery, sampleLimit: SQL): SQL {
  const col = sql.identifier(key.name);
  return sql`
    with steps as (
      select s.${col} as hash, e.seq, e.device_id, s.truncated
      from ${executionSteps} s join ${executions} e on e.id = s.execution_id
      where e.batch_id = ${batchId} and s.idx = ${step}
    ), grouped as (
      select hash, count(*) as n, min(seq) as first_seq, bool_or(truncated) as truncated, count(*) over () as total
      from steps group by hash
    ), page as (
      select * from grouped ${after} order by n desc, first_seq asc limit ${q.limit + 1}
    )
    select page.hash, page.n, page.first_seq, page.total, page.truncated, s.status, s.exit_code,
      left(s.stdout, ${q.sampleBytes}::integer) as stdout_head, left(s.stderr, ${q.sampleBytes}::integer) as stderr_head,
      array(select st.device_id from steps st where st.hash = page.hash order by st.seq limit ${sampleLimit}) as device_ids
    from page
    join ${executions} e on e.batch_id = ${batchId} and e.seq = page.first_seq
    join ${executionSteps} s on s.execution_id = e.id and s.idx = ${step}
    order by page.n desc, page.first_seq asc`;
}

async function countGroups(db: Database, batchId: string, q: Pick<OutcomeGroupQuery, 'normalize' | 'step'>): Promise<number> {
  const result = (await db.execute(
    q.step === null
      ? sql`select count(distinct ${keyColumn(executions, q.normalize)}) as n from ${executions} where ${executions.batchId} = ${batchId}`
      : sql`select count(distinct s.${sql.identifier(keyColumn(executionSteps, q.normalize).name)}) as n
            from ${executionSteps} s join ${executions} e on e.id = s.execution_id where e.batch_id = ${batchId} and s.idx = ${q.step}`,
  )) as unknown as { rows: Array<{ n: number | string }> };
  return Number(result.rows[0]?.n ?? 0);
}
