// What every schedule handler shares: the caller's own schedule by id (404 otherwise), and schedules as
// the API shows them, with their Temporal side and recent runs.
import type { Context } from 'hono';
import { getSchedule, runSummaries } from '../../../db/queries/schedules';
import type { ScheduleRow } from '../../../db/schema';
import { notFound } from '../../../domain/errors';
import { describeTemporalSchedule } from '../../../schedules/temporal-schedule';
import type { AppEnv } from '../../context';
import { scopeOf, seesAll } from '../../ownership';
import { toScheduleJson, type ScheduleJson } from '../../schemas/schedule';

export async function findOwn(c: Context<AppEnv>, id: string): Promise<ScheduleRow> {
  const row = await getSchedule(c.var.deps.db.orm, id, scopeOf(c.var.principal));
  if (!row) throw notFound('schedule', id);
  return row;
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
      return toScheduleJson(row, described, runs.get(row.id) ?? { count: 0, last: null }, seesAll(c.var.principal));
    }),
  );
}
