// Schedule handlers: validate (zod did the shape, spec and timezone; here the targets and secrets),
// then call the lifecycle functions that keep PostgreSQL and Temporal in step.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { BatchRejected } from '../../../domain/errors';
import { resolveTargets } from '../../../db/queries/batches';
import { getSchedule, listRuns, listSchedules, runSummaries } from '../../../db/queries/schedules';
import type { ScheduleRow } from '../../../db/schema';
import type { BatchRequest } from '../../../domain/batch';
import { TemporalUnavailable, changeSchedule, createSchedule, deleteSchedule } from '../../../schedules/lifecycle';
import { storeRequest, type StoredScheduleBatch } from '../../../schedules/stored-request';
import { describeTemporalSchedule } from '../../../schedules/temporal-schedule';
import { scheduleTemporalId } from '../../../workflows/definitions';
import type { AppEnv, AppRouteHandler } from '../../context';
import { DomainError, notFound } from '../../../domain/errors';
import { isUniqueViolation } from '../../../db/errors';
import { scopeOf } from '../../ownership';
import { toRunJson, toScheduleJson, type ScheduleJson } from '../../schemas/schedule';
import { decodeTimeCursorOrFail } from '../cursor';
import type { CreateRoute, GetRoute, ListRoute, PatchRoute, RemoveRoute, RunsRoute } from './routes';

export async function findOwn(c: Context<AppEnv>, id: string): Promise<ScheduleRow> {
  const row = await getSchedule(c.var.deps.db.orm, id, scopeOf(c.var.principal));
  if (!row) throw notFound('schedule', id);
  return row;
}

export const temporalDown = (err: TemporalUnavailable): DomainError =>
  err.invalidArgument
    ? new DomainError(400, 'invalid_schedule', `Temporal refused the schedule; nothing was changed: ${err.message}`)
    : new DomainError(503, 'temporal_unavailable', `Temporal could not be reached; nothing was changed: ${err.message}`);

/** Runs the call, answering 503 when Temporal refused it. */
export async function orTemporalDown<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof TemporalUnavailable) throw temporalDown(err);
    throw err;
  }
}

export async function view(c: Context<AppEnv>, rows: ScheduleRow[]): Promise<ScheduleJson[]> {
  const { db, temporal, logger } = c.var.deps;
  const runs = await runSummaries(
    db.orm,
    rows.map((r) => r.id),
  );
  return Promise.all(
    rows.map(async (row) => {
      const described = await describeTemporalSchedule(temporal, row).catch((err: unknown) => {
        logger.warn({ err, scheduleId: row.id }, 'could not describe the Temporal schedule');
        return null;
      });
      return toScheduleJson(row, described, runs.get(row.id) ?? { count: 0, last: null });
    }),
  );
}

/** The batch request checked as POST /v1/batches would, except that matching no device is allowed now. */
async function checkedBatch(c: Context<AppEnv>, batch: BatchRequest): Promise<StoredScheduleBatch> {
  const { db, config } = c.var.deps;
  const { unknownDeviceIds, unknownGroupIds } = await resolveTargets(db.orm, batch.targets, scopeOf(c.var.principal));
  if (unknownDeviceIds.length > 0 || unknownGroupIds.length > 0) {
    throw new DomainError(400, 'unknown_targets', 'batch.targets: some targets do not exist', { deviceIds: unknownDeviceIds, groupIds: unknownGroupIds });
  }
  try {
    return storeRequest(batch, config.secretKey);
  } catch (err) {
    if (err instanceof BatchRejected) throw new DomainError(400, err.code, `batch: ${err.message}`, err.details);
    throw err;
  }
}

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { db, temporal } = c.var.deps;
  const body = c.req.valid('json');
  const batch = await checkedBatch(c, body.batch);
  const id = randomUUID();
  let row: ScheduleRow;
  try {
    row = await orTemporalDown(() =>
      createSchedule(db.orm, temporal, {
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
      }),
    );
  } catch (err) {
    if (isUniqueViolation(err, 'schedules_owner_name_key')) throw new DomainError(409, 'schedule_exists', `a schedule named ${body.name} already exists`);
    throw err;
  }
  const [schedule] = await view(c, [row]);
  return c.json({ schedule: schedule as ScheduleJson }, 201);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const q = c.req.valid('query');
  const page = await listSchedules(c.var.deps.db.orm, { owner: scopeOf(c.var.principal), limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  return c.json({ items: await view(c, page.items), nextCursor: page.nextCursor }, 200);
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const [schedule] = await view(c, [await findOwn(c, c.req.valid('param').id)]);
  return c.json({ schedule: schedule as ScheduleJson }, 200);
};

export const patch: AppRouteHandler<PatchRoute> = async (c) => {
  const { db, temporal } = c.var.deps;
  const row = await findOwn(c, c.req.valid('param').id);
  const body = c.req.valid('json');
  const changes = {
    ...(body.spec ? { spec: body.spec } : {}),
    ...(body.batch ? await checkedBatch(c, body.batch).then((b) => ({ batch: b.shown, batchSealed: b.sealed })) : {}),
    ...(body.overlap ? { overlap: body.overlap } : {}),
    ...(body.timezone ? { timezone: body.timezone } : {}),
  };
  const updated = await orTemporalDown(() => changeSchedule(db.orm, temporal, row.id, changes));
  if (!updated) throw notFound('schedule', row.id);
  const [schedule] = await view(c, [updated]);
  return c.json({ schedule: schedule as ScheduleJson }, 200);
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { db, temporal } = c.var.deps;
  const row = await findOwn(c, c.req.valid('param').id);
  try {
    await deleteSchedule(db.orm, temporal, row);
  } catch (err) {
    if (!(err instanceof TemporalUnavailable)) throw err;
    const message = `the schedule is deleted here; its Temporal schedule will be deleted when Temporal answers: ${err.message}`;
    throw new DomainError(503, 'temporal_unavailable', message);
  }
  return c.body(null, 204);
};

export const runs: AppRouteHandler<RunsRoute> = async (c) => {
  const row = await findOwn(c, c.req.valid('param').id);
  const q = c.req.valid('query');
  const page = await listRuns(c.var.deps.db.orm, row.id, { limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  return c.json({ items: page.items.map(toRunJson), nextCursor: page.nextCursor }, 200);
};
