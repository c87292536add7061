// Each step's result of an execution: written with the execution's final status (one statement),
// read per execution for the API, outputs cut to a head in lists.
import { asc, inArray, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { executionSteps, type ExecutionStepRow, type OutcomeColumn } from '../schema';
import { headBytes } from './batches';

export type StepView = Omit<ExecutionStepRow, 'executionId' | OutcomeColumn> & { executionId: string; outputCut: boolean };

/** PostgreSQL text cannot hold NUL. */
export const stripNul = (s: string): string => s.replaceAll('\u0000', '');

/** Steps of these executions in step order, grouped by execution; outputs cut to headBytes when given. */
export async function stepsOf(db: Database, executionIds: readonly string[], outputHeadBytes?: number): Promise<Map<string, StepView[]>> {
  const out = new Map<string, StepView[]>(executionIds.map((id) => [id, []]));
  if (executionIds.length === 0) return out;
  const max = outputHeadBytes ?? null;
  const rows = await db
    .select({
      executionId: executionSteps.executionId,
      idx: executionSteps.idx,
      kind: executionSteps.kind,
      status: executionSteps.status,
      exitCode: executionSteps.exitCode,
      truncated: executionSteps.truncated,
      error: executionSteps.error,
      startedAt: executionSteps.startedAt,
      completedAt: executionSteps.completedAt,
      bytes: executionSteps.bytes,
      sha256: executionSteps.sha256,
      // With a head size, no more than that many characters leave the database.
      stdout: max === null ? executionSteps.stdout : sql<string>`left(${executionSteps.stdout}, ${max}::integer)`,
      stderr: max === null ? executionSteps.stderr : sql<string>`left(${executionSteps.stderr}, ${max}::integer)`,
      stdoutBytes: sql<number>`octet_length(${executionSteps.stdout})`,
      stderrBytes: sql<number>`octet_length(${executionSteps.stderr})`,
    })
    .from(executionSteps)
    .where(inArray(executionSteps.executionId, [...executionIds]))
    .orderBy(asc(executionSteps.executionId), asc(executionSteps.idx));
  for (const { stdoutBytes, stderrBytes, ...r } of rows) {
    const stdout = max === null ? r.stdout : headBytes(r.stdout, max);
    const stderr = max === null ? r.stderr : headBytes(r.stderr, max);
    const cut = Buffer.byteLength(stdout) < Number(stdoutBytes) || Buffer.byteLength(stderr) < Number(stderrBytes);
    out.get(r.executionId)?.push({ ...r, stdout, stderr, outputCut: cut });
  }
  return out;
}
