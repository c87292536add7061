// When a schedule runs, as clients write it: exactly one of once, daily, weekly, monthly or cron, read in
// an IANA timezone. Every check happens here, before anything is stored or sent to Temporal, and each
// failure names its field (spec.daily.time, spec.cron, timezone...).
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const OVERLAP_POLICIES = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

const timeOfDay = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM, from 00:00 to 23:59').describe('HH:MM in the schedule timezone');

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Why a cron expression cannot be used, or null. Five fields (minute hour day-of-month month day-of-week)
 * or six with seconds first. Only what both cron-parser and Temporal read the same way is accepted:
 * numbers, `*`, ranges, lists, steps and English month/day names (no L, W, # or ?).
 */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return `must have 5 fields (or 6 with seconds first), got ${fields.length}`;
  for (const f of fields) {
    if (!/^[0-9a-z*,/-]+$/i.test(f)) return `unsupported characters in "${f}"`;
    const words = f.toLowerCase().match(/[a-z]+/g) ?? [];
    const bad = words.find((w) => !MONTH_NAMES.includes(w) && !(WEEKDAYS as readonly string[]).includes(w));
    if (bad !== undefined) return `unknown name "${bad}" in "${f}"`;
  }
  try {
    CronExpressionParser.parse(expr, { strict: false });
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return null;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const scheduleSpecSchema = z
  .object({
    once: z.iso
      .datetime({ offset: true })
      .refine((v) => Date.parse(v) > Date.now(), 'must be in the future')
      .optional()
      .describe('one run at this future instant'),
    daily: z.object({ time: timeOfDay }).strict().optional().describe('every day at a time'),
    weekly: z
      .object({
        days: z
          .array(z.enum(WEEKDAYS, { message: `must be one of ${WEEKDAYS.join(', ')}` }))
          .min(1)
          .max(7)
          .refine((d) => new Set(d).size === d.length, 'days must not repeat')
          .describe('weekdays, each once'),
        time: timeOfDay,
      })
      .strict()
      .optional()
      .describe('on some weekdays at a time'),
    monthly: z
      .object({
        day: z.union([z.number().int().min(1).max(31), z.literal('last')], { message: 'must be 1 to 31 or "last"' }).describe('day of the month, or "last"; months without that day are skipped'),
        time: timeOfDay,
      })
      .strict()
      .optional()
      .describe('once a month at a time'),
    cron: z
      .string()
      .max(200)
      .superRefine((v, ctx) => {
        const problem = cronProblem(v);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: `invalid cron: ${problem}` });
      })
      .optional()
      .describe('a cron expression: 5 fields (or 6 with seconds first); numbers, *, ranges, lists, steps, month and day names'),
  })
  .strict()
  .refine((s) => Object.values(s).filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of once, daily, weekly, monthly, cron',
  })
  .describe('when it runs: exactly one of once, daily, weekly, monthly, cron');

export type ScheduleSpecInput = z.infer<typeof scheduleSpecSchema>;

export const timezoneSchema = z.string().min(1).max(64).refine(isTimeZone, 'unknown IANA timezone').describe('IANA timezone the spec is read in, e.g. Europe/Berlin');
