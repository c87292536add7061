// Schedule handlers: validate (zod did the shape, spec and timezone; here the targets and secrets),
// then call the lifecycle use cases that keep PostgreSQL and Temporal in step.
import { randomUUID } from 'node:crypto';
import { listRuns, listSchedules } from '../../../db/queries/schedules';
import { checkScheduleBatch } from '../../../schedules/check-batch';
import { changeSchedule, createSchedule, deleteSchedule } from '../../../schedules/lifecycle';
import { scheduleTemporalId } from '../../../workflows/definitions';
import type { AppRouteHandler } from '../../context';
import { notFound } from '../../../domain/errors';
import { listScopeOf, scopeOf } from '../../ownership';
import { toRunJson, type ScheduleJson } from '../../schemas/schedule';
import { decodeTimeCursorOrFail } from '../cursor';
import type { CreateRoute, GetRoute, ListRoute, PatchRoute, RemoveRoute, RunsRoute } from './routes';
import { findOwn, view } from './schedule-view';

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { db, temporal, config } = c.var.deps;
  const body = c.req.valid('json');
  const batch = await checkScheduleBatch(db.orm, scopeOf(c.var.principal), body.batch, config.secretKey);
  const id = randomUUID();
  const row = await createSchedule(db.orm, temporal, {
    id,
    name: body.name,
    owner: c.var.principal.id,
    spec: body.spec,
    timezone: body.timezone,
    overlap: body.overlap,
    batch: batch.shown,
    batchSealed: batch.sealed,
    catchupWindowSec: body.catchupWindowSec,
    startAt: body.startAt ? new Date(body.startAt) : null,
    endAt: body.endAt ? new Date(body.endAt) : null,
    paused: body.paused,
    note: body.note ?? null,
    temporalScheduleId: scheduleTemporalId(body.name, id),
  });
  const [schedule] = await view(c, [row]);
  return c.json({ schedule: schedule as ScheduleJson }, 201);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const q = c.req.valid('query');
  const page = await listSchedules(c.var.deps.db.orm, { owner: listScopeOf(c.var.principal, q.owner), limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  return c.json({ items: await view(c, page.items), nextCursor: page.nextCursor }, 200);
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const [schedule] = await view(c, [await findOwn(c, c.req.valid('param').id)]);
  return c.json({ schedule: schedule as ScheduleJson }, 200);
};

export const patch: AppRouteHandler<PatchRoute> = async (c) => {
  const { db, temporal, config } = c.var.deps;
  const row = await findOwn(c, c.req.valid('param').id);
  const body = c.req.valid('json');
  const changes = {
    ...(body.spec ? { spec: body.spec } : {}),
    ...(body.batch ? await checkScheduleBatch(db.orm, scopeOf(c.var.principal), body.batch, config.secretKey).then((b) => ({ batch: b.shown, batchSealed: b.sealed })) : {}),
    ...(body.overlap ? { overlap: body.overlap } : {}),
    ...(body.timezone ? { timezone: body.timezone } : {}),
  };
  const updated = await changeSchedule(db.orm, temporal, row.id, changes);
  if (!updated) throw notFound('schedule', row.id);
  const [schedule] = await view(c, [updated]);
  return c.json({ schedule: schedule as ScheduleJson }, 200);
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { db, temporal } = c.var.deps;
  const row = await findOwn(c, c.req.valid('param').id);
  await deleteSchedule(db.orm, temporal, row);
  return c.body(null, 204);
};

export const runs: AppRouteHandler<RunsRoute> = async (c) => {
  const row = await findOwn(c, c.req.valid('param').id);
  const q = c.req.valid('query');
  const page = await listRuns(c.var.deps.db.orm, row.id, { limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  return c.json({ items: page.items.map(toRunJson), nextCursor: page.nextCursor }, 200);
};
