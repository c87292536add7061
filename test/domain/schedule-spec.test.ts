import { describe, expect, it } from 'vitest';
import { cronProblem, isTimeZone, scheduleSpecSchema, timezoneSchema } from '../../src/domain/schedule-spec';

describe('cronProblem', () => {
  const valid = ['* * * * *', '30 2 * * *', '*/15 9-17 * * mon-fri', '0 12 1,15 jan,jul *', '0 0 * * SUN', '  5 4 * * *  ', '0 */5 * * * *'];
  it.each(valid)('accepts %j', (expr) => {
    expect(cronProblem(expr)).toBeNull();
  });

  const invalid: Array<[string, string | RegExp]> = [
    ['', 'must have 5 fields (or 6 with seconds first), got 1'],
    ['* * * *', 'must have 5 fields (or 6 with seconds first), got 4'],
    ['0 0 1 1 * * *', 'must have 5 fields (or 6 with seconds first), got 7'],
    ['0 0 ? * *', 'unsupported characters in "?"'],
    ['0 0 L * *', 'unknown name "l" in "L"'],
    ['0 0 15W * *', 'unknown name "w" in "15W"'],
    ['0 0 * * 5#2', 'unsupported characters in "5#2"'],
    ['0 0 * * funday', 'unknown name "funday" in "funday"'],
    ['60 * * * *', /60/],
    ['0 0 * 13 *', /13/],
    ['*/0 * * * *', /0/],
    ['5-1 * * * *', /5-1/],
  ];
  it.each(invalid)('rejects %j', (expr, problem) => {
    const got = cronProblem(expr);
    if (typeof problem === 'string') expect(got).toBe(problem);
    else expect(got).toMatch(problem);
  });
});

describe('isTimeZone and timezoneSchema', () => {
  const cases: Array<[string, boolean]> = [
    ['UTC', true],
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['Mars/Olympus_Mons', false],
    ['not a zone', false],
  ];
  it.each(cases)('%j is a timezone: %s', (tz, ok) => {
    expect(isTimeZone(tz)).toBe(ok);
    expect(timezoneSchema.safeParse(tz).success).toBe(ok);
  });

  it('an empty or overlong name is refused by the schema', () => {
    expect(timezoneSchema.safeParse('').success).toBe(false);
    expect(timezoneSchema.safeParse('A'.repeat(65)).success).toBe(false);
  });
});

/** The problems of a spec as "path: message", or [] when it is valid. */
function problems(spec: unknown): string[] {
  const r = scheduleSpecSchema.safeParse(spec);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('scheduleSpecSchema', () => {
  const future = new Date(Date.now() + 86_400_000).toISOString();
  const past = new Date(Date.now() - 60_000).toISOString();

  const valid: Array<[string, unknown]> = [
    ['once in the future', { once: future }],
    ['once with an offset', { once: '2999-01-01T10:00:00+02:00' }],
    ['daily at midnight', { daily: { time: '00:00' } }],
    ['daily at 23:59', { daily: { time: '23:59' } }],
    ['weekly on every day', { weekly: { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], time: '08:00' } }],
    ['monthly on day 31', { monthly: { day: 31, time: '01:00' } }],
    ['monthly on the last day', { monthly: { day: 'last', time: '01:00' } }],
    ['cron', { cron: '0 3 * * mon' }],
  ];
  it.each(valid)('accepts %s', (_name, spec) => {
    expect(problems(spec)).toEqual([]);
  });

  const invalid: Array<[string, unknown, string]> = [
    ['nothing', {}, ': give exactly one of once, daily, weekly, monthly, cron'],
    ['two forms', { daily: { time: '01:00' }, cron: '* * * * *' }, ': give exactly one of once, daily, weekly, monthly, cron'],
    ['once in the past', { once: past }, 'once: must be in the future'],
    ['daily at 24:00', { daily: { time: '24:00' } }, 'daily.time: must be HH:MM, from 00:00 to 23:59'],
    ['daily at 9:00 (one digit)', { daily: { time: '9:00' } }, 'daily.time: must be HH:MM, from 00:00 to 23:59'],
    ['weekly with no days', { weekly: { days: [], time: '08:00' } }, 'weekly.days'],
    ['weekly with a repeated day', { weekly: { days: ['mon', 'mon'], time: '08:00' } }, 'weekly.days: days must not repeat'],
    ['weekly with an unknown day', { weekly: { days: ['monday'], time: '08:00' } }, 'weekly.days.0: must be one of sun, mon, tue, wed, thu, fri, sat'],
    ['monthly on day 0', { monthly: { day: 0, time: '08:00' } }, 'monthly.day: Too small'],
    ['monthly on day 32', { monthly: { day: 32, time: '08:00' } }, 'monthly.day: Too big'],
    ['a bad cron', { cron: '* * *' }, 'cron: invalid cron: must have 5 fields (or 6 with seconds first), got 3'],
    ['monthly on an unknown word', { monthly: { day: 'first', time: '08:00' } }, 'monthly.day: must be 1 to 31 or "last"'],
    ['an unknown key inside a form', { daily: { time: '08:00', tz: 'UTC' } }, 'daily'],
    ['an unknown form', { hourly: { minute: 5 } }, ''],
  ];
  it.each(invalid)('rejects %s, naming the field', (_name, spec, expected) => {
    const found = problems(spec);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((p) => p.startsWith(expected)), found.join('\n')).toBe(true);
  });
});
