// Users and their API tokens. Tokens are stored as sha256 hashes only; a revoked token, or any
// token of a disabled user, no longer authenticates, from the very next request.
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { apiTokens, users, type UserRow } from '../schema';
import { BOOTSTRAP_ADMIN_ID, type Role } from '../../domain/roles';
import type { OwnerScope } from './ownership';
import { timeKeyset, type Page, type TimeKey } from './pagination';

export type UserView = UserRow;

export interface TokenView {
  id: string;
  userId: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewToken {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
}

/** Creates a user and their first token in one transaction. */
export async function createUserWithToken(db: Database, user: { id: string; name: string; role: Role }, token: Omit<NewToken, 'userId'>): Promise<UserView> {
  const [created] = await db.transaction(async (tx) => {
    const rows = await tx.insert(users).values(user).returning();
    await tx.insert(apiTokens).values({ ...token, userId: user.id });
    return rows;
  });
  if (!created) throw new Error(`user ${user.id} vanished after insert`);
  return created;
}

export async function getUser(db: Database, id: string): Promise<UserView | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function updateUser(db: Database, id: string, patch: { role?: Role; disabled?: boolean }): Promise<UserView | undefined> {
  const [row] = await db.update(users).set(patch).where(eq(users.id, id)).returning();
  return row;
}

export interface UserFilter {
  /** Only this user (an operator sees themselves only). */
  id?: string;
  after?: TimeKey;
  limit: number;
}

export async function listUsers(db: Database, filter: UserFilter): Promise<Page<UserView>> {
  const where: SQL[] = [];
  if (filter.id !== undefined) where.push(eq(users.id, filter.id));
  const keyset = timeKeyset(users, 'asc', filter);
  const rows = await db
    .select({ user: users, createdKey: keyset.createdKey })
    .from(users)
    .where(and(...where, keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(keyset.fetch);
  return keyset.page(rows, (r) => r.user.id, (r) => r.user);
}

const tokenColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  name: apiTokens.name,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

export async function createToken(db: Database, token: NewToken): Promise<TokenView> {
  const [row] = await db.insert(apiTokens).values(token).returning(tokenColumns);
  if (!row) throw new Error(`token ${token.id} vanished after insert`);
  return row;
}

export async function listTokens(db: Database, userId: string, filter: { after?: TimeKey; limit: number }): Promise<Page<TokenView>> {
  const keyset = timeKeyset(apiTokens, 'asc', filter);
  const rows = await db
    .select({ ...tokenColumns, createdKey: keyset.createdKey })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(keyset.fetch);
  return keyset.page(rows, (r) => r.id, ({ createdKey: _, ...t }) => t);
}

export async function getToken(db: Database, id: string): Promise<TokenView | undefined> {
  const [row] = await db.select(tokenColumns).from(apiTokens).where(eq(apiTokens.id, id));
  return row;
}

/** Marks the token revoked (once; a second revoke keeps the first time). */
export async function revokeToken(db: Database, id: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
}

export interface TokenOwner {
  tokenId: string;
  tokenHash: string;
  userId: string;
  name: string;
  role: Role;
}

/** The live (unrevoked, user enabled) token with this hash, and its user. */
export async function findLiveToken(db: Database, tokenHash: string): Promise<TokenOwner | undefined> {
  const [row] = await db
    .select({ tokenId: apiTokens.id, tokenHash: apiTokens.tokenHash, userId: users.id, name: users.name, role: users.role })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), eq(users.disabled, false)));
  return row;
}

/** Records use, at most once a minute per token, so busy clients do not write on every request. */
export async function touchToken(db: Database, id: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), sql`(${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < now() - interval '1 minute')`));
}

/**
 * The rows an owner may act on, for work done in their name outside a request (a batch they start, a
 * scheduled run): every owner's for the bootstrap admin and admins, else their own. An unknown or
 * disabled owner gets their own only.
 */
export async function ownerScopeOf(db: Database, ownerId: string): Promise<OwnerScope> {
  if (ownerId === BOOTSTRAP_ADMIN_ID) return undefined;
  const [row] = await db
    .select({ role: users.role, disabled: users.disabled })
    .from(users)
    .where(sql`${users.id}::text = ${ownerId}`);
  return row && !row.disabled && row.role === 'admin' ? undefined : ownerId;
}
