// The health probe's database check.
import { sql } from 'drizzle-orm';
import type { Database } from '../client';

/** Resolves when the database answers a trivial query. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
