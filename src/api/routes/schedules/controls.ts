// Pause, resume and trigger: Temporal holds the live state; the row keeps a copy so a lost Temporal
// schedule is rebuilt paused or not as it was. Trigger passes the schedule's own overlap policy
// (the SDK would default to allow_all), so "run now" is skipped or buffered like any other run.
import { updateSchedule } from '../../../db/queries/schedules';
import { OVERLAP } from '../../../schedules/temporal-spec';
import type { AppRouteHandler } from '../../context';
import type { ScheduleJson } from '../../schemas/schedule';
import { findOwn, orTemporalDown, view } from './handlers';
import type { PauseRoute, ResumeRoute, TriggerRoute } from './routes';
import { TemporalUnavailable } from '../../../schedules/lifecycle';

const DEFAULT_PAUSE_NOTE = 'paused through the Flotilla API';

async function temporalCall(call: () => Promise<void>): Promise<void> {
  await orTemporalDown(async () => {
    try {
      await call();
    } catch (err) {
      throw new TemporalUnavailable(err);
    }
  });
}

export const pause: AppRouteHandler<PauseRoute> = async (c) => {
  const { db, temporal } = c.var.deps;
  const row = await findOwn(c, c.req.valid('param').id);
  const note = c.req.valid('json').note ?? DEFAULT_PAUSE_NOTE;
  await temporalCall(() => temporal.schedule.getHandle(row.temporalScheduleId).pause(note));
  const updated = (await updateSchedule(db.orm, row.id, { paused: true, note })) ?? row;
  const [schedule] = await view(c, [updated]);
  return c.json({ schedule: schedule as ScheduleJson }, 200);
};

export const resume: AppRouteHandler<ResumeRoute> = async (c) => {
  const { db, temporal } = c.var.deps;
  const row = await findOwn(c, c.req.valid('param').id);
  await temporalCall(() => temporal.schedule.getHandle(row.temporalScheduleId).unpause('resumed through the Flotilla API'));
  const updated = (await updateSchedule(db.orm, row.id, { paused: false, note: null })) ?? row;
  const [schedule] = await view(c, [updated]);
  return c.json({ schedule: schedule as ScheduleJson }, 200);
};

export const trigger: AppRouteHandler<TriggerRoute> = async (c) => {
  const row = await findOwn(c, c.req.valid('param').id);
  await temporalCall(() => c.var.deps.temporal.schedule.getHandle(row.temporalScheduleId).trigger(OVERLAP[row.overlap]));
  const [schedule] = await view(c, [row]);
  return c.json({ schedule: schedule as ScheduleJson }, 200);
};
