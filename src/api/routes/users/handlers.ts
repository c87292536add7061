// User and token handlers. Admins manage every user; operators see themselves and mint their own
// tokens; another user's tokens answer 404 like a missing user.
import { randomUUID } from 'node:crypto';
import type { Database } from '../../../db/client';
import { createToken as insertToken, createUserWithToken, getUser, listTokens as selectTokens, listUsers, updateUser, type UserView } from '../../../db/queries/users';
import { BOOTSTRAP_ADMIN_ID } from '../../../domain/roles';
import { hashToken, newToken } from '../../../security/secrets';
import type { AppRouteHandler, Principal } from '../../context';
import { DomainError, notFound } from '../../../domain/errors';
import { isUniqueViolation } from '../../../db/errors';
import { assertAdmin, seesAll } from '../../ownership';
import { toTokenJson, toUserJson } from '../../schemas/user';
import { decodeTimeCursorOrFail } from '../cursor';
import type { CreateRoute, CreateTokenRoute, ListRoute, ListTokensRoute, MeRoute, UpdateRoute } from './routes';

/** API tokens: `flt_` and 32 random bytes. */
export const API_TOKEN_PREFIX = 'flt';
const API_TOKEN_BYTES = 32;

/** Bootstrap admin's name: no user may take it, so the audit log never shows two "admin"s. */
const RESERVED_NAMES = new Set([BOOTSTRAP_ADMIN_ID]);

function issue(userId: string, name: string): { token: string; row: { id: string; userId: string; name: string; tokenHash: string } } {
  const token = newToken(API_TOKEN_PREFIX, API_TOKEN_BYTES);
  return { token, row: { id: randomUUID(), userId, name, tokenHash: hashToken(token) } };
}

/** The user, if the principal may see them: themselves, or anyone for admins and auditors. */
async function visibleUser(db: Database, principal: Principal, id: string): Promise<UserView> {
  const user = seesAll(principal) || principal.id === id ? await getUser(db, id) : undefined;
  if (!user) throw notFound('user', id);
  return user;
}

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  assertAdmin(c.var.principal);
  const body = c.req.valid('json');
  const conflict = new DomainError(409, 'conflict', `a user named "${body.name}" already exists`);
  if (RESERVED_NAMES.has(body.name.toLowerCase())) throw conflict;
  const id = randomUUID();
  const { token, row } = issue(id, body.tokenName);
  try {
    const user = await createUserWithToken(c.var.deps.db.orm, { id, name: body.name, role: body.role }, row);
    c.set('audit', { resourceId: id, details: { name: body.name, role: body.role, tokenId: row.id } });
    return c.json({ user: toUserJson(user), token, tokenId: row.id }, 201);
  } catch (err) {
    if (isUniqueViolation(err, 'users_name_key')) throw conflict;
    throw err;
  }
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const principal = c.var.principal;
  const q = c.req.valid('query');
  const page = await listUsers(c.var.deps.db.orm, {
    id: seesAll(principal) ? undefined : principal.id,
    limit: q.limit,
    after: decodeTimeCursorOrFail(q.cursor),
  });
  return c.json({ items: page.items.map(toUserJson), nextCursor: page.nextCursor }, 200);
};

export const update: AppRouteHandler<UpdateRoute> = async (c) => {
  assertAdmin(c.var.principal);
  const { id } = c.req.valid('param');
  const body = c.req.valid('json');
  const user = await updateUser(c.var.deps.db.orm, id, body);
  if (!user) throw notFound('user', id);
  c.set('audit', { details: body });
  return c.json({ user: toUserJson(user) }, 200);
};

export const me: AppRouteHandler<MeRoute> = (c) => {
  const { id, name, role, tokenId } = c.var.principal;
  return c.json({ id, name, role, tokenId }, 200);
};

export const createToken: AppRouteHandler<CreateTokenRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const principal = c.var.principal;
  // Operators mint their own tokens only; admins mint anyone's.
  if (principal.role !== 'admin' && principal.id !== id) throw notFound('user', id);
  const user = await visibleUser(c.var.deps.db.orm, principal, id);
  const body = c.req.valid('json') as { name?: string } | undefined;
  const { token, row } = issue(user.id, body?.name ?? 'default');
  await insertToken(c.var.deps.db.orm, row);
  c.set('audit', { action: 'token.create', resourceType: 'token', resourceId: row.id, details: { userId: user.id, name: row.name } });
  return c.json({ token, tokenId: row.id }, 201);
};

export const listTokens: AppRouteHandler<ListTokensRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const q = c.req.valid('query');
  const user = await visibleUser(c.var.deps.db.orm, c.var.principal, id);
  const page = await selectTokens(c.var.deps.db.orm, user.id, { limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  return c.json({ items: page.items.map(toTokenJson), nextCursor: page.nextCursor }, 200);
};
