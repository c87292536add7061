// Conditions on executions for the executions list: membership of an outcome group, and output search.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { executions, executionSteps } from '../schema';
import type { OutcomeKey, OutcomeNormalization } from '../../domain/outcome';

/** The stored key column of a normalisation. */
export function keyColumn(table: typeof executions | typeof executionSteps, normalize: OutcomeNormalization): PgColumn {
  if (normalize === 'none') return table.outcomeExact;
  return normalize === 'whitespace' ? table.outcomeWhitespace : table.outcomeDigits;
}

/** The condition "this execution belongs to the group" for the executions list. */
export function inOutcomeGroup(key: OutcomeKey): SQL {
  if (key.step === null) return eq(keyColumn(executions, key.normalize), key.hash);
  const col = keyColumn(executionSteps, key.normalize);
  return sql`exists (select 1 from ${executionSteps} where ${executionSteps.executionId} = ${executions.id} and ${executionSteps.idx} = ${key.step} and ${col} = ${key.hash})`;
}

/** ILIKE pattern matching `text` anywhere, with LIKE's wildcards in it taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The condition "this output contains text, in any case", on stdout, stderr or either (pg_trgm-indexed
 * for texts of three or more characters).
 */
export function outputContains(stream: 'stdout' | 'stderr' | 'either', text: string): SQL {
  const pattern = containsPattern(text);
  if (stream === 'either') return sql`(${executions.stdout} ilike ${pattern} or ${executions.stderr} ilike ${pattern})`;
  return sql`${stream === 'stdout' ? executions.stdout : executions.stderr} ilike ${pattern}`;
}
