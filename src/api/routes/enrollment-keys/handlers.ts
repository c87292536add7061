// Enrollment key handlers: create (the key answered once, its hash stored), list, read, revoke.
import { randomUUID } from 'node:crypto';
import {
  createEnrollmentKey,
  getEnrollmentKey,
  keyStatus,
  listEnrollmentKeys,
  missingGroupIds,
  revokeEnrollmentKey,
  type EnrollmentKeyView,
} from '../../../db/queries/enrollment-keys';
import { hashToken, newToken } from '../../../security/secrets';
import type { AppRouteHandler } from '../../context';
import { DomainError, notFound } from '../../../domain/errors';
import { scopeOf } from '../../ownership';
import { decodeTimeCursorOrFail } from '../cursor';
import type { CreateRoute, GetRoute, ListRoute, RevokeRoute } from './routes';

/** Enrollment keys start with this, so a leaked one is recognised for what it is. */
const KEY_PREFIX = 'fek';

function toJson(k: EnrollmentKeyView) {
  return {
    id: k.id,
    name: k.name,
    owner: k.owner,
    tags: k.tags,
    groupIds: k.groupIds,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    maxUses: k.maxUses,
    uses: k.uses,
    usesLeft: k.maxUses === null ? null : Math.max(0, k.maxUses - k.uses),
    status: keyStatus(k, new Date()),
    revokedAt: k.revokedAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
  };
}

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { db } = c.var.deps;
  const body = c.req.valid('json');
  const owner = c.var.principal.id;
  const groupIds = [...new Set(body.groupIds)];
  const missing = await missingGroupIds(db.orm, groupIds, owner);
  if (missing.length > 0) throw new DomainError(404, 'not_found', `unknown group ids: ${missing.join(', ')}`, { groupIds: missing });
  const expiresAt = body.expiresAt === undefined ? null : new Date(body.expiresAt);
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw new DomainError(400, 'validation_error', 'body.expiresAt: must be in the future');
  const key = newToken(KEY_PREFIX);
  const created = await createEnrollmentKey(db.orm, {
    id: randomUUID(),
    name: body.name,
    owner,
    keyHash: hashToken(key),
    tags: [...new Set(body.tags)],
    groupIds,
    expiresAt,
    maxUses: body.maxUses ?? null,
  });
  c.set('audit', { resourceType: 'enrollment-key', resourceId: created.id, details: { name: created.name, maxUses: created.maxUses } });
  return c.json({ enrollmentKey: toJson(created), key }, 201);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const q = c.req.valid('query');
  const page = await listEnrollmentKeys(c.var.deps.db.orm, { owner: scopeOf(c.var.principal), limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  return c.json({ items: page.items.map(toJson), nextCursor: page.nextCursor }, 200);
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const key = await getEnrollmentKey(c.var.deps.db.orm, id, scopeOf(c.var.principal));
  if (!key) throw notFound('enrollment key', id);
  return c.json({ enrollmentKey: toJson(key) }, 200);
};

export const revoke: AppRouteHandler<RevokeRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!(await revokeEnrollmentKey(c.var.deps.db.orm, id, scopeOf(c.var.principal)))) throw notFound('enrollment key', id);
  return c.body(null, 204);
};
