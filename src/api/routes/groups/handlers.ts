// Group handlers: membership changes are transactional in the queries; unknown device ids are a 400.
import { randomUUID } from 'node:crypto';
import { UnknownDevicesError } from '../../../db/queries/devices';
import { createGroup, deleteGroup, getGroupWithDevices, listGroups, setGroupDevices } from '../../../db/queries/groups';
import { presenceWindowMs } from '../../../domain/presence';
import type { AppRouteHandler } from '../../context';
import { listScopeOf, scopeOf, seesAll } from '../../ownership';
import { DomainError, notFound } from '../../../domain/errors';
import { isUniqueViolation } from '../../../db/errors';
import { toGroupJson, toGroupWithDevicesJson } from '../../schemas/group';
import { decodeTimeCursorOrFail } from '../cursor';
import type { CreateRoute, GetRoute, ListRoute, RemoveRoute, SetDevicesRoute } from './routes';

function mapMembershipError(err: unknown, name?: string): unknown {
  if (err instanceof UnknownDevicesError) {
    return new DomainError(400, 'unknown_devices', err.message, { deviceIds: err.deviceIds });
  }
  if (isUniqueViolation(err, 'groups_name_key')) return new DomainError(409, 'conflict', `a group named "${name ?? ''}" already exists`);
  return err;
}

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const body = c.req.valid('json');
  try {
    const group = await createGroup(c.var.deps.db.orm, { id: randomUUID(), name: body.name, owner: c.var.principal.id, deviceIds: body.deviceIds }, scopeOf(c.var.principal));
    return c.json({ group: toGroupJson(group, seesAll(c.var.principal)) }, 201);
  } catch (err) {
    throw mapMembershipError(err, body.name);
  }
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const q = c.req.valid('query');
  const page = await listGroups(c.var.deps.db.orm, { owner: listScopeOf(c.var.principal, q.owner), name: q.name, limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  return c.json({ items: page.items.map((g) => toGroupJson(g, seesAll(c.var.principal))), nextCursor: page.nextCursor }, 200);
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const { id } = c.req.valid('param');
  const group = await getGroupWithDevices(db.orm, id, presenceWindowMs(config.heartbeatMs), scopeOf(c.var.principal));
  if (!group) throw notFound('group', id);
  return c.json({ group: toGroupWithDevicesJson(group, seesAll(c.var.principal)) }, 200);
};

export const setDevices: AppRouteHandler<SetDevicesRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const { id } = c.req.valid('param');
  const { deviceIds } = c.req.valid('json');
  try {
    if (!(await setGroupDevices(db.orm, id, deviceIds, scopeOf(c.var.principal)))) throw notFound('group', id);
  } catch (err) {
    throw mapMembershipError(err);
  }
  const group = await getGroupWithDevices(db.orm, id, presenceWindowMs(config.heartbeatMs), scopeOf(c.var.principal));
  if (!group) throw notFound('group', id);
  return c.json({ group: toGroupWithDevicesJson(group, seesAll(c.var.principal)) }, 200);
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!(await deleteGroup(c.var.deps.db.orm, id, scopeOf(c.var.principal)))) throw notFound('group', id);
  return c.body(null, 204);
};
