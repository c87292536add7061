// Console sessions: rows keyed by the sha256 of the cookie's session id. Expired rows are never
// answered and are swept at each sign-in.
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Database } from '../client';
import { consoleSessions } from '../schema';

export interface ConsoleSession {
  tokenHash: string;
  expiresAt: Date;
}

export async function createConsoleSession(
  db: Database,
  row: { idHash: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, new Date()));
  await db.insert(consoleSessions).values(row);
}

/** The live session with this id hash, if any. */
export async function findConsoleSession(db: Database, idHash: string): Promise<ConsoleSession | undefined> {
  const [row] = await db
    .select({ tokenHash: consoleSessions.tokenHash, expiresAt: consoleSessions.expiresAt })
    .from(consoleSessions)
    .where(and(eq(consoleSessions.idHash, idHash), gt(consoleSessions.expiresAt, new Date())));
  return row;
}

export async function deleteConsoleSession(db: Database, idHash: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, idHash));
}
