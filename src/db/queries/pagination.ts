// Keyset pagination: a page is `limit` rows after an opaque cursor, the base64url of the last row's
// sort key. Timestamps travel as PostgreSQL's own microsecond text so no row is skipped or repeated.
import { asc, desc, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A (created_at, id) position; createdAt is an exact ISO-8601 text with microseconds. */
export interface TimeKey {
  createdAt: string;
  id: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this API produced');
    this.name = 'InvalidCursorError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXACT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(cursor: string): unknown {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new InvalidCursorError();
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
}

/**
 * The exact format naming a day and time that exist: Date.parse takes Feb 30, 24:00 and year 0, which
 * PostgreSQL refuses (a forged cursor must be a 400, never a failed query).
 */
function isRealInstant(text: string): boolean {
  if (!EXACT_TIME.test(text) || text.startsWith('0000')) return false;
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === text.slice(0, 19);
}

export function encodeTimeCursor(key: TimeKey): string {
  return encode(['t', key.createdAt, key.id]);
}

export function decodeTimeCursor(cursor: string): TimeKey {
  const v = decode(cursor);
  if (!Array.isArray(v) || v.length !== 3 || v[0] !== 't') throw new InvalidCursorError();
  const [, createdAt, id] = v as unknown[];
  if (typeof createdAt !== 'string' || !isRealInstant(createdAt)) throw new InvalidCursorError();
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursorError();
  return { createdAt, id };
}

export function encodeSeqCursor(seq: number): string {
  return encode(['s', seq]);
}

export function decodeSeqCursor(cursor: string): number {
  const v = decode(cursor);
  if (!Array.isArray(v) || v.length !== 2 || v[0] !== 's') throw new InvalidCursorError();
  const seq = v[1] as unknown;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq > 2 ** 31 - 1) throw new InvalidCursorError();
  return seq;
}

/** The column rendered as exact UTC text, the form a TimeKey carries. */
export function exactTime(column: AnyPgColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Rows strictly after the key in (created_at, id) order, ascending or descending. */
export function afterTimeKey(createdAt: AnyPgColumn, id: AnyPgColumn, key: TimeKey, direction: 'asc' | 'desc'): SQL {
  return direction === 'asc'
    ? sql`(${createdAt}, ${id}) > (${key.createdAt}::timestamptz, ${key.id}::uuid)`
    : sql`(${createdAt}, ${id}) < (${key.createdAt}::timestamptz, ${key.id}::uuid)`;
}

/**
 * Builds a page from rows fetched with limit + 1: the extra row only says another page exists.
 * `keyOf` gives the cursor of the last row kept.
 */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => string, map: (row: R) => T): Page<T> {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: rows.length > limit && last !== undefined ? keyOf(last) : null };
}

/** Where a list query stands in (created_at, id) order: the pieces it selects, filters, orders and limits by. */
export interface TimeKeyset {
  /** Select it as `createdKey`: the row's created_at as the exact text a cursor carries. */
  createdKey: SQL<string>;
  /** Rows after the cursor; undefined on the first page. */
  after: SQL | undefined;
  orderBy: SQL[];
  /** limit + 1: the extra row only says another page exists. */
  fetch: number;
  /** The page of the rows fetched, its cursor made from the last row kept. */
  page<R extends { createdKey: string }, T>(rows: R[], idOf: (row: R) => string, map: (row: R) => T): Page<T>;
}

/** One keyset-paged list over a table's (created_at, id), newest first ('desc') or oldest first ('asc'). */
export function timeKeyset(
  table: { createdAt: AnyPgColumn; id: AnyPgColumn },
  direction: 'asc' | 'desc',
  filter: { after?: TimeKey; limit: number },
): TimeKeyset {
  const order = direction === 'asc' ? asc : desc;
  return {
    createdKey: exactTime(table.createdAt),
    after: filter.after && afterTimeKey(table.createdAt, table.id, filter.after, direction),
    orderBy: [order(table.createdAt), order(table.id)],
    fetch: filter.limit + 1,
    page: (rows, idOf, map) => toPage(rows, filter.limit, (r) => encodeTimeCursor({ createdAt: r.createdKey, id: idOf(r) }), map),
  };
}

/** Outcome groups are ordered by size, then by their first device: the cursor carries both. */
export function encodeGroupCursor(key: { count: number; firstSeq: number }): string {
  return encode(['g', key.count, key.firstSeq]);
}

export function decodeGroupCursor(cursor: string): { count: number; firstSeq: number } {
  const v = decode(cursor);
  if (!Array.isArray(v) || v.length !== 3 || v[0] !== 'g') throw new InvalidCursorError();
  const [, count, firstSeq] = v as unknown[];
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1;
  if (!ok(count) || !ok(firstSeq)) throw new InvalidCursorError();
  return { count, firstSeq };
}
