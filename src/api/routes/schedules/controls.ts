// Pause, resume and trigger, through the schedule lifecycle use cases.
import { pauseSchedule, resumeSchedule, triggerSchedule } from '../../../schedules/lifecycle';
import type { AppRouteHandler } from '../../context';
import type { ScheduleJson } from '../../schemas/schedule';
import type { PauseRoute, ResumeRoute, TriggerRoute } from './routes';
import { findOwn, view } from './schedule-view';

const DEFAULT_PAUSE_NOTE = 'paused through the Flotilla API';
const RESUME_NOTE = 'resumed through the Flotilla API';

export const pause: AppRouteHandler<PauseRoute> = async (c) => {
  const { db, temporal } = c.var.deps;
  const row = await findOwn(c, c.req.valid('param').id);
  const updated = await pauseSchedule(db.orm, temporal, row, c.req.valid('json').note ?? DEFAULT_PAUSE_NOTE);
  const [schedule] = await view(c, [updated]);
  return c.json({ schedule: schedule as ScheduleJson }, 200);
};

export const resume: AppRouteHandler<ResumeRoute> = async (c) => {
  const { db, temporal } = c.var.deps;
  const row = await findOwn(c, c.req.valid('param').id);
  const updated = await resumeSchedule(db.orm, temporal, row, RESUME_NOTE);
  const [schedule] = await view(c, [updated]);
  return c.json({ schedule: schedule as ScheduleJson }, 200);
};

export const trigger: AppRouteHandler<TriggerRoute> = async (c) => {
  const row = await findOwn(c, c.req.valid('param').id);
  await triggerSchedule(c.var.deps.temporal, row);
  const [schedule] = await view(c, [row]);
  return c.json({ schedule: schedule as ScheduleJson }, 200);
};
