// What a refused request must leave untouched: every row of every table (a digest per table, so an
// update shows as well as an insert) and the workflows of the test's namespace.
import type { Client as TemporalClient } from '@temporalio/client';
import { Client } from 'pg';

export interface StateSnapshot {
  tables: Record<string, string>;
  workflows: string[];
}

export async function snapshotState(databaseUrl: string, temporal: TemporalClient): Promise<StateSnapshot> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const tables: Record<string, string> = {};
  try {
    const names = await pg.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
    for (const { name } of names.rows) {
      const r = await pg.query<{ n: number; digest: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM "${name}" t`,
      );
      tables[name] = `${r.rows[0]!.n} rows, ${r.rows[0]!.digest}`;
    }
  } finally {
    await pg.end();
  }
  const workflows: string[] = [];
  for await (const wf of temporal.workflow.list()) workflows.push(`${wf.workflowId} ${wf.status.name}`);
  return { tables, workflows: workflows.sort() };
}
