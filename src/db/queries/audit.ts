// The audit log: appended by the API after every successful write, read newest first in pages.
import { and, desc, eq, gte, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { auditLog, type AuditRow } from '../schema';
import { afterTimeKey, encodeTimeCursor, exactTime, toPage, type Page, type TimeKey } from './pagination';

export type NewAuditEntry = Omit<AuditRow, 'createdAt'>;

export async function appendAudit(db: Database, entry: NewAuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

export interface AuditFilter {
  /** Only this actor's entries (operators see their own only). */
  actorId?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  since?: Date;
  after?: TimeKey;
  limit: number;
}

export async function listAudit(db: Database, filter: AuditFilter): Promise<Page<AuditRow>> {
  const where: SQL[] = [];
  if (filter.actorId !== undefined) where.push(eq(auditLog.actorId, filter.actorId));
  if (filter.action !== undefined) where.push(eq(auditLog.action, filter.action));
  if (filter.resourceType !== undefined) where.push(eq(auditLog.resourceType, filter.resourceType));
  if (filter.resourceId !== undefined) where.push(eq(auditLog.resourceId, filter.resourceId));
  if (filter.since !== undefined) where.push(gte(auditLog.createdAt, filter.since));
  if (filter.after) where.push(afterTimeKey(auditLog.createdAt, auditLog.id, filter.after, 'desc'));
  const rows = await db
    .select({ entry: auditLog, createdKey: exactTime(auditLog.createdAt) })
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(filter.limit + 1);
  return toPage(rows, filter.limit, (r) => encodeTimeCursor({ createdAt: r.createdKey, id: r.entry.id }), (r) => r.entry);
}
