// Keyset pages of a batch's results for export, bounded in rows and in output bytes, so an export of
// any size holds one page at a time.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { executions } from '../schema';
import type { ExecutionStatus } from '../../domain/status';

export interface ExportRow {
  seq: number;
  deviceId: string;
  deviceName: string;
  status: ExecutionStatus;
  exitCode: number | null;
  dispatchedAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  truncated: boolean;
  error: string | null;
  stdout: string | null;
  stderr: string | null;
}

export interface PageLimits {
  rows: number;
  /** Output bytes a page may hold; a single larger row still makes a page of one. */
  bytes: number;
}

/** The rows after `afterSeq` that fit the limits: sizes are read first, outputs only for the rows taken. */
export async function exportPage(db: Database, batchId: string, afterSeq: number, limits: PageLimits): Promise<ExportRow[]> {
  const after = and(eq(executions.batchId, batchId), sql`${executions.seq} > ${afterSeq}`);
  const sizes = await db
    .select({ seq: executions.seq, bytes: sql<number>`coalesce(octet_length(${executions.stdout}), 0) + coalesce(octet_length(${executions.stderr}), 0)` })
    .from(executions)
    .where(after)
    .orderBy(asc(executions.seq))
    .limit(limits.rows);
  if (sizes.length === 0) return [];
  let total = 0;
  let last = sizes[0]!.seq;
  for (const s of sizes) {
    total += Number(s.bytes);
    if (total > limits.bytes && s.seq !== sizes[0]!.seq) break;
    last = s.seq;
  }
  return db
    .select({
      seq: executions.seq,
      deviceId: executions.deviceId,
      deviceName: executions.deviceName,
      status: executions.status,
      exitCode: executions.exitCode,
      dispatchedAt: executions.dispatchedAt,
      startedAt: executions.startedAt,
      completedAt: executions.completedAt,
      truncated: executions.truncated,
      error: executions.error,
      stdout: executions.stdout,
      stderr: executions.stderr,
    })
    .from(executions)
    .where(and(after, sql`${executions.seq} <= ${last}`))
    .orderBy(asc(executions.seq));
}
