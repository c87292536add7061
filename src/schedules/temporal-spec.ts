// From a schedule as clients write it to Temporal's ScheduleSpec and overlap policy.
// "last" day of the month has no calendar field in Temporal, so it becomes four exact calendars:
// day 31 of the 31-day months, day 30 of the 30-day months, February 29 (which only leap years have),
// and February 28 restricted to the years that are not leap years. No run-time check is needed, and
// describe() lists exactly the times that will run.
import { ScheduleOverlapPolicy, type CalendarSpec, type DayOfWeek, type LooseRange, type Month, type ScheduleSpec } from '@temporalio/client';
import type { OverlapPolicy, ScheduleSpecInput, Weekday } from '../domain/schedule-spec';

const MONTHS: readonly Month[] = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];
const DAYS: Record<Weekday, DayOfWeek> = {
  sun: 'SUNDAY',
  mon: 'MONDAY',
  tue: 'TUESDAY',
  wed: 'WEDNESDAY',
  thu: 'THURSDAY',
  fri: 'FRIDAY',
  sat: 'SATURDAY',
};

export const OVERLAP: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  buffer_all: ScheduleOverlapPolicy.BUFFER_ALL,
  cancel_other: ScheduleOverlapPolicy.CANCEL_OTHER,
  terminate_other: ScheduleOverlapPolicy.TERMINATE_OTHER,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};

/** Years February 28 is the last day of the month, as ranges, over the years Temporal accepts (2000-2100). */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export function commonYearRanges(from = FIRST_YEAR, to = LAST_YEAR): Array<LooseRange<number>> {
  const out: Array<{ start: number; end: number }> = [];
  for (let y = from; y <= to; y++) {
    if (isLeap(y)) continue;
    const last = out[out.length - 1];
    if (last && last.end === y - 1) last.end = y;
    else out.push({ start: y, end: y });
  }
  return out;
}

function clock(time: string): { hour: number; minute: number } {
  const [h, m] = time.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

function lastDayCalendars(time: string): CalendarSpec[] {
  const at = clock(time);
  const months = (...n: number[]): Month[] => n.map((i) => MONTHS[i - 1] as Month);
  return [
    { ...at, dayOfMonth: 31, month: months(1, 3, 5, 7, 8, 10, 12), comment: 'last day: 31-day months' },
    { ...at, dayOfMonth: 30, month: months(4, 6, 9, 11), comment: 'last day: 30-day months' },
    { ...at, dayOfMonth: 29, month: 'FEBRUARY', comment: 'last day: February of leap years' },
    { ...at, dayOfMonth: 28, month: 'FEBRUARY', year: commonYearRanges(), comment: 'last day: February of common years' },
  ];
}

function onceCalendar(iso: string): CalendarSpec {
  const d = new Date(iso);
  return {
    year: d.getUTCFullYear(),
    month: MONTHS[d.getUTCMonth()] as Month,
    dayOfMonth: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    comment: `once at ${d.toISOString()}`,
  };
}

/** Temporal reads 6 cron fields as minute..year; ours are second..day-of-week, so the year goes last. */
function temporalCron(expr: string): string {
  const fields = expr.trim().split(/\s+/);
  return fields.length === 6 ? `${fields.join(' ')} *` : fields.join(' ');
}

export interface SpecWindow {
  timezone: string;
  startAt: Date | null;
  endAt: Date | null;
}

export function toTemporalSpec(spec: ScheduleSpecInput, window: SpecWindow): ScheduleSpec {
  const base: ScheduleSpec = {
    // An instant given with its own offset is the same moment in every zone.
    timezone: spec.once !== undefined ? 'UTC' : window.timezone,
    ...(window.startAt ? { startAt: window.startAt } : {}),
    ...(window.endAt ? { endAt: window.endAt } : {}),
  };
  if (spec.once !== undefined) return { ...base, calendars: [onceCalendar(spec.once)] };
  if (spec.daily) return { ...base, calendars: [{ ...clock(spec.daily.time), comment: 'daily' }] };
  if (spec.weekly) {
    return { ...base, calendars: [{ ...clock(spec.weekly.time), dayOfWeek: spec.weekly.days.map((d) => DAYS[d]), comment: 'weekly' }] };
  }
  if (spec.monthly) {
    const { day, time } = spec.monthly;
    return { ...base, calendars: day === 'last' ? lastDayCalendars(time) : [{ ...clock(time), dayOfMonth: day, comment: 'monthly' }] };
  }
  if (spec.cron !== undefined) return { ...base, cronExpressions: [temporalCron(spec.cron)] };
  throw new Error('a schedule spec names none of once, daily, weekly, monthly, cron');
}
