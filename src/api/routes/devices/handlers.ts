// Device handlers: validate (done by the routes' schemas), call the device queries, shape the answer.
import { randomUUID } from 'node:crypto';
import { createDevice, deleteDevice, getDevice, listDevices, rotateDeviceToken, updateDevice } from '../../../db/queries/devices';
import { hashToken, newToken } from '../../../security/secrets';
import { presenceWindowMs } from '../../../domain/presence';
import type { AppRouteHandler } from '../../context';
import { listScopeOf, scopeOf, seesAll } from '../../ownership';
import { DomainError, notFound } from '../../../domain/errors';
import { isUniqueViolation } from '../../../db/errors';
import { toDeviceJson } from '../../schemas/device';
import { decodeTimeCursorOrFail } from '../cursor';
import type { CreateRoute, GetRoute, ListRoute, RemoveRoute, RotateTokenRoute, UpdateRoute } from './routes';

const newAgentToken = (): string => newToken('fla');

const duplicateName = (name: string): DomainError => new DomainError(409, 'conflict', `a device named "${name}" already exists`);

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const body = c.req.valid('json');
  const agentToken = newAgentToken();
  try {
    const device = await createDevice(
      db.orm,
      { id: randomUUID(), name: body.name, hostname: body.hostname ?? null, tags: [...new Set(body.tags)], owner: c.var.principal.id, tokenHash: hashToken(agentToken) },
      presenceWindowMs(config.heartbeatMs),
    );
    return c.json({ device: toDeviceJson(device, seesAll(c.var.principal)), agentToken }, 201);
  } catch (err) {
    if (isUniqueViolation(err, 'devices_name_key')) throw duplicateName(body.name);
    throw err;
  }
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const q = c.req.valid('query');
  const page = await listDevices(
    db.orm,
    { owner: listScopeOf(c.var.principal, q.owner), tags: q.tag, groupId: q.group, status: q.status, q: q.q, limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) },
    presenceWindowMs(config.heartbeatMs),
  );
  return c.json({ items: page.items.map((d) => toDeviceJson(d, seesAll(c.var.principal))), nextCursor: page.nextCursor }, 200);
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const { id } = c.req.valid('param');
  const device = await getDevice(db.orm, id, presenceWindowMs(config.heartbeatMs), scopeOf(c.var.principal));
  if (!device) throw notFound('device', id);
  return c.json({ device: toDeviceJson(device, seesAll(c.var.principal)) }, 200);
};

export const update: AppRouteHandler<UpdateRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const { id } = c.req.valid('param');
  const body = c.req.valid('json');
  const patch = body.tags === undefined ? body : { ...body, tags: [...new Set(body.tags)] };
  try {
    const device = await updateDevice(db.orm, id, patch, presenceWindowMs(config.heartbeatMs), scopeOf(c.var.principal));
    if (!device) throw notFound('device', id);
    return c.json({ device: toDeviceJson(device, seesAll(c.var.principal)) }, 200);
  } catch (err) {
    if (isUniqueViolation(err, 'devices_name_key')) throw duplicateName(patch.name ?? '');
    throw err;
  }
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!(await deleteDevice(c.var.deps.db.orm, id, scopeOf(c.var.principal)))) throw notFound('device', id);
  return c.body(null, 204);
};

export const rotateToken: AppRouteHandler<RotateTokenRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const token = newAgentToken();
  if (!(await rotateDeviceToken(c.var.deps.db.orm, id, hashToken(token), scopeOf(c.var.principal)))) throw notFound('device', id);
  return c.json({ token }, 200);
};
