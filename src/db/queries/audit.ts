// The audit log: appended by the API after every successful write, read newest first in pages.
import { and, eq, gte, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { auditLog, type AuditRow } from '../schema';
import { timeKeyset, type Page, type TimeKey } from './pagination';

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
  const keyset = timeKeyset(auditLog, 'desc', filter);
  const rows = await db
    .select({ entry: auditLog, createdKey: keyset.createdKey })
    .from(auditLog)
    .where(and(...where, keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(keyset.fetch);
  return keyset.page(rows, (r) => r.entry.id, (r) => r.entry);
}
