// Every spec form maps to the run times Temporal reports (checked against cron-parser, an independent
// implementation), and every bad spec is a 400 naming its field with nothing created anywhere.
import { CronExpressionParser } from 'cron-parser';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedules } from '../../src/db/schema';
import { commonYearRanges } from '../../src/schedules/temporal-spec';
import { startHarness, type Harness } from './harness';
import { newGroup, scheduleBody, temporalScheduleIds } from './schedule-fixtures';

let h: Harness;
let groupId: string;
let created = 0;
beforeAll(async () => {
  h = await startHarness();
  groupId = await newGroup(h);
});
afterAll(async () => {
  for await (const s of h.client.schedule.list()) await h.client.schedule.getHandle(s.scheduleId).delete();
  await h.close();
});

const expected = (cron: string, tz: string, from = new Date()): string[] =>
  CronExpressionParser.parse(cron, { tz, currentDate: from })
    .take(5)
    .map((d) => d.toISOString() ?? '');

async function nextRuns(spec: unknown, extra: Record<string, unknown> = {}): Promise<string[]> {
  const res = await h.json('POST', '/v1/schedules', scheduleBody(groupId, { spec, ...extra }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  created++;
  expect(res.body.schedule.spec).toEqual(spec);
  return res.body.schedule.nextRunTimes;
}

describe('spec forms', () => {
  const tz = 'America/New_York';
  it('daily, weekly and monthly (a day number) run at the local time in the schedule timezone', async () => {
    expect(await nextRuns({ daily: { time: '02:30' } }, { timezone: tz })).toEqual(expected('30 2 * * *', tz));
    expect(await nextRuns({ weekly: { days: ['mon', 'thu'], time: '23:15' } }, { timezone: 'Asia/Tokyo' })).toEqual(
      expected('15 23 * * 1,4', 'Asia/Tokyo'),
    );
    expect(await nextRuns({ monthly: { day: 15, time: '06:00' } }, { timezone: 'Europe/Paris' })).toEqual(expected('0 6 15 * *', 'Europe/Paris'));
  });

  it('monthly "last" is the last day of every month, February 28 or 29 as the year has it', async () => {
    expect(await nextRuns({ monthly: { day: 'last', time: '02:00' } }, { timezone: tz })).toEqual(expected('0 2 L * *', tz));
    // Across a leap February (2028) and a common one (2027): startAt moves the window.
    const leap = await nextRuns({ monthly: { day: 'last', time: '02:00' } }, { timezone: tz, startAt: '2027-12-15T00:00:00Z' });
    expect(leap).toEqual(expected('0 2 L * *', tz, new Date('2027-12-15T00:00:00Z')));
    expect(leap[2]).toBe('2028-02-29T07:00:00.000Z');
    const common = await nextRuns({ monthly: { day: 'last', time: '02:00' } }, { timezone: 'UTC', startAt: '2026-12-15T00:00:00Z' });
    expect(common[2]).toBe('2027-02-28T02:00:00.000Z');
    // 2100 is not a leap year (divisible by 100), 2000 is (divisible by 400).
    expect(commonYearRanges(2096, 2104)).toEqual([{ start: 2097, end: 2103 }]);
    expect(commonYearRanges(1999, 2002)).toEqual([{ start: 1999, end: 1999 }, { start: 2001, end: 2002 }]);
  });

  it('once runs exactly once at the instant given, whatever the timezone', async () => {
    const at = new Date(Date.now() + 3 * 24 * 3600_000);
    at.setUTCMilliseconds(0);
    expect(await nextRuns({ once: at.toISOString() }, { timezone: 'Asia/Kolkata' })).toEqual([at.toISOString()]);
    const offset = '2031-06-01T08:00:00+02:00';
    expect(await nextRuns({ once: offset })).toEqual(['2031-06-01T06:00:00.000Z']);
  });

  it('cron with five fields, and with six (seconds first), in the schedule timezone', async () => {
    expect(await nextRuns({ cron: '0 2 * * 1-5' }, { timezone: tz })).toEqual(expected('0 2 * * 1-5', tz));
    expect(await nextRuns({ cron: '0 9 * jan,jul mon' }, { timezone: 'UTC' })).toEqual(expected('0 9 * jan,jul mon', 'UTC'));
    const secs = await nextRuns({ cron: '*/20 * * * * *' });
    expect(secs).toHaveLength(5);
    expect(secs.map((t) => new Date(t).getUTCSeconds() % 20)).toEqual([0, 0, 0, 0, 0]);
    expect(Date.parse(secs[1] ?? '') - Date.parse(secs[0] ?? '')).toBe(20_000);
  });

  it('endAt ends the run times', async () => {
    const endAt = new Date(Date.now() + 2.5 * 24 * 3600_000).toISOString();
    const runs = await nextRuns({ daily: { time: '12:00' } }, { endAt });
    expect(runs.length).toBeLessThanOrEqual(3);
    expect(runs.every((t) => t <= endAt)).toBe(true);
  });
});

describe('bad specs', () => {
  const past = '2020-01-01T00:00:00Z';
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a cron minute out of range', { spec: { cron: '61 * * * *' } }, 'body.spec.cron'],
    ['a cron with L (Temporal has none)', { spec: { cron: '0 2 L * *' } }, 'body.spec.cron'],
    ['a cron with too few fields', { spec: { cron: '* * *' } }, 'body.spec.cron'],
    ['a cron with an unknown name', { spec: { cron: '0 2 * * funday' } }, 'body.spec.cron'],
    ['an hour 25', { spec: { daily: { time: '25:00' } } }, 'body.spec.daily.time'],
    ['a time without leading zero', { spec: { daily: { time: '2:00' } } }, 'body.spec.daily.time'],
    ['an unknown weekday', { spec: { weekly: { days: ['mon', 'funday'], time: '02:00' } } }, 'body.spec.weekly.days.1'],
    ['no weekdays', { spec: { weekly: { days: [], time: '02:00' } } }, 'body.spec.weekly.days'],
    ['day 32', { spec: { monthly: { day: 32, time: '02:00' } } }, 'body.spec.monthly.day'],
    ['day 0', { spec: { monthly: { day: 0, time: '02:00' } } }, 'body.spec.monthly.day'],
    ['day "first"', { spec: { monthly: { day: 'first', time: '02:00' } } }, 'body.spec.monthly.day'],
    ['a past once', { spec: { once: past } }, 'body.spec.once'],
    ['a once that is no instant', { spec: { once: 'tomorrow' } }, 'body.spec.once'],
    ['two forms at once', { spec: { daily: { time: '02:00' }, cron: '* * * * *' } }, 'body.spec'],
    ['no form', { spec: {} }, 'body.spec'],
    ['an unknown form', { spec: { hourly: {} } }, 'body.spec'],
    ['an unknown timezone', { timezone: 'Mars/Olympus_Mons' }, 'body.timezone'],
    ['endAt before startAt', { startAt: '2030-01-02T00:00:00Z', endAt: '2030-01-01T00:00:00Z' }, 'body.endAt'],
    ['a past endAt', { endAt: past }, 'body.endAt'],
    ['an unknown overlap policy', { overlap: 'sometimes' }, 'body.overlap'],
    ['a catch-up window under 10 s', { catchupWindowSec: 5 }, 'body.catchupWindowSec'],
    ['a name with a space', { name: 'nightly run' }, 'body.name'],
    ['a batch without targets', { batch: { targets: {}, action: { type: 'command', command: 'x' } } }, 'body.batch.targets'],
    ['a batch without action', { batch: { targets: { tags: ['a'] } } }, 'body.batch.action'],
  ];
  it.each(cases)('%s is a 400 naming %s', async (_what, change, field) => {
    const res = await h.json('POST', '/v1/schedules', scheduleBody(groupId, change));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('a spec Temporal cannot represent (a year past 2100) is a 400 invalid_schedule', async () => {
    const res = await h.json('POST', '/v1/schedules', scheduleBody(groupId, { spec: { once: '2150-01-01T00:00:00Z' } }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_schedule');
  });

  it('unknown groups or devices are a 400 naming them', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await h.json('POST', '/v1/schedules', scheduleBody(groupId, { batch: { targets: { groupIds: [missing] }, action: { type: 'command', command: 'x' } } }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'unknown_targets', details: { groupIds: [missing] } });
  });

  it('left nothing behind in PostgreSQL or Temporal', async () => {
    const before = await temporalScheduleIds(h);
    const rows = await h.db.handle.orm.select({ name: schedules.name, id: schedules.temporalScheduleId }).from(schedules);
    // Only the good schedules of the first block exist, each with its Temporal schedule.
    expect(rows).toHaveLength(created);
    const stored = new Set(rows.map((r) => r.id));
    expect(before.filter((id) => !stored.has(id))).toEqual([]);
  });
});

describe('PATCH /v1/schedules/:id', () => {
  it('changes spec, timezone, overlap and batch in PostgreSQL and Temporal together; a bad change alters nothing', async () => {
    const res = await h.json('POST', '/v1/schedules', scheduleBody(groupId, { name: 'patched', spec: { daily: { time: '02:30' } } }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.schedule.id as string;
    const batch = { targets: { groupIds: [groupId] }, action: { type: 'command', command: 'echo changed' } };

    const changed = await h.json('PATCH', `/v1/schedules/${id}`, {
      spec: { weekly: { days: ['tue'], time: '04:45' } },
      timezone: 'Asia/Tokyo',
      overlap: 'buffer_one',
      batch,
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const shown = (await h.json('GET', `/v1/schedules/${id}`)).body.schedule;
    expect(shown).toMatchObject({ spec: { weekly: { days: ['tue'], time: '04:45' } }, timezone: 'Asia/Tokyo', overlap: 'buffer_one' });
    expect(shown.batch.action.command).toBe('echo changed');
    expect(shown.nextRunTimes).toEqual(expected('45 4 * * 2', 'Asia/Tokyo'));
    const [row] = await h.db.handle.orm.select().from(schedules).where(eq(schedules.id, id));
    const described = await h.client.schedule.getHandle(row!.temporalScheduleId).describe();
    expect(described.policies.overlap).toBe('BUFFER_ONE');

    const bad = await h.json('PATCH', `/v1/schedules/${id}`, { spec: { cron: '61 * * * *' }, overlap: 'allow_all' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain('body.spec.cron');
    const after = (await h.json('GET', `/v1/schedules/${id}`)).body.schedule;
    expect(after).toMatchObject({ spec: { weekly: { days: ['tue'], time: '04:45' } }, overlap: 'buffer_one' });
    expect((await h.client.schedule.getHandle(row!.temporalScheduleId).describe()).policies.overlap).toBe('BUFFER_ONE');
  });
});
