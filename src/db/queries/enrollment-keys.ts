// Enrollment keys as admins and operators manage them: create (hash only), list, read, revoke.
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { enrollmentKeys, groups } from '../schema';
import { ownedBy, type OwnerScope } from './ownership';
import { afterTimeKey, encodeTimeCursor, exactTime, toPage, type Page, type TimeKey } from './pagination';

export interface EnrollmentKeyView {
  id: string;
  name: string;
  owner: string;
  tags: string[];
  groupIds: string[];
  expiresAt: Date | null;
  maxUses: number | null;
  uses: number;
  revokedAt: Date | null;
  createdAt: Date;
}

export type NewEnrollmentKey = Omit<EnrollmentKeyView, 'uses' | 'revokedAt' | 'createdAt'> & { keyHash: string };

const columns = {
  id: enrollmentKeys.id,
  name: enrollmentKeys.name,
  owner: enrollmentKeys.owner,
  tags: enrollmentKeys.tags,
  groupIds: enrollmentKeys.groupIds,
  expiresAt: enrollmentKeys.expiresAt,
  maxUses: enrollmentKeys.maxUses,
  uses: enrollmentKeys.uses,
  revokedAt: enrollmentKeys.revokedAt,
  createdAt: enrollmentKeys.createdAt,
  createdKey: exactTime(enrollmentKeys.createdAt),
};

const toView = ({ createdKey: _key, ...view }: { createdKey: string } & EnrollmentKeyView): EnrollmentKeyView => view;

/** The given group ids that name no group of this owner. */
export async function missingGroupIds(db: Database, ids: readonly string[], owner: string): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db
    .select({ id: groups.id })
    .from(groups)
    .where(and(sql`${groups.id} = any(${sql.param([...ids])}::uuid[])`, eq(groups.owner, owner)));
  const known = new Set(found.map((g) => g.id));
  return ids.filter((id) => !known.has(id));
}

export async function createEnrollmentKey(db: Database, input: NewEnrollmentKey): Promise<EnrollmentKeyView> {
  const [row] = await db.insert(enrollmentKeys).values(input).returning(columns);
  return toView(row!);
}

export async function getEnrollmentKey(db: Database, id: string, scope: OwnerScope): Promise<EnrollmentKeyView | undefined> {
  const [row] = await db
    .select(columns)
    .from(enrollmentKeys)
    .where(and(eq(enrollmentKeys.id, id), ownedBy(enrollmentKeys.owner, scope)));
  return row ? toView(row) : undefined;
}

export async function listEnrollmentKeys(db: Database, filter: { owner: OwnerScope; after?: TimeKey; limit: number }): Promise<Page<EnrollmentKeyView>> {
  const where: Array<SQL | undefined> = [ownedBy(enrollmentKeys.owner, filter.owner)];
  if (filter.after) where.push(afterTimeKey(enrollmentKeys.createdAt, enrollmentKeys.id, filter.after, 'asc'));
  const rows = await db
    .select(columns)
    .from(enrollmentKeys)
    .where(and(...where))
    .orderBy(asc(enrollmentKeys.createdAt), asc(enrollmentKeys.id))
    .limit(filter.limit + 1);
  return toPage(rows, filter.limit, (r) => encodeTimeCursor({ createdAt: r.createdKey, id: r.id }), toView);
}

/** Revokes (once; revoking again keeps the first time); false when the key does not exist in scope. */
export async function revokeEnrollmentKey(db: Database, id: string, scope: OwnerScope): Promise<boolean> {
  await db
    .update(enrollmentKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(enrollmentKeys.id, id), ownedBy(enrollmentKeys.owner, scope), isNull(enrollmentKeys.revokedAt)));
  return (await getEnrollmentKey(db, id, scope)) !== undefined;
}

export type EnrollmentKeyStatus = 'active' | 'revoked' | 'expired' | 'used_up';

export function keyStatus(k: Pick<EnrollmentKeyView, 'revokedAt' | 'expiresAt' | 'maxUses' | 'uses'>, now: Date): EnrollmentKeyStatus {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && k.expiresAt <= now) return 'expired';
  if (k.maxUses !== null && k.uses >= k.maxUses) return 'used_up';
  return 'active';
}

/** The key with this hash, whoever owns it (an agent presenting it), or undefined. */
export async function findEnrollmentKeyByHash(db: Database, keyHash: string): Promise<EnrollmentKeyView | undefined> {
  const [row] = await db.select(columns).from(enrollmentKeys).where(eq(enrollmentKeys.keyHash, keyHash));
  return row ? toView(row) : undefined;
}
