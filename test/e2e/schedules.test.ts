// Schedules on the real stack: Temporal Schedules start the scheduled-run workflow, whose batches run on
// real agents. A six-field cron (every 5 s) keeps the firing tests short.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executionsOf, startCluster, type Cluster, type Device } from '../helpers/cluster';
import { waitFor } from '../helpers/ports';

interface Run {
  batchId: string | null;
  status: string;
  error: string | null;
  targetCount: number | null;
}

let c: Cluster;
let a: Device;
let b: Device;
let groupId: string;
beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
  a = await c.addDevice('sched-a');
  b = await c.addDevice('sched-b');
  await c.startAgent(a);
  await c.startAgent(b);
  const g = await c.http<{ group: { id: string } }>('POST', '/v1/groups', { name: 'sched-web', deviceIds: [a.id] });
  groupId = g.body.group.id;
}, 180_000);
afterAll(async () => {
  await c?.stop();
});

const command = (text: string) => ({ type: 'command', command: text, timeoutSec: 60 });

async function createSchedule(name: string, spec: unknown, batch: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await c.http<{ schedule: { id: string } }>('POST', '/v1/schedules', { name, spec, batch: { deliveryTimeoutSec: 20, ...batch }, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.schedule.id;
}

async function runs(id: string): Promise<Run[]> {
  const res = await c.http<{ items: Run[] }>('GET', `/v1/schedules/${id}/runs`);
  expect(res.status).toBe(200);
  return res.body.items;
}

const waitForRuns = (id: string, what: string, test: (r: Run[]) => boolean, timeoutMs = 45_000): Promise<Run[]> =>
  waitFor(what, async () => {
    const r = await runs(id);
    return test(r) ? r : undefined;
  }, timeoutMs, 500);

describe('schedules on the real stack', () => {
  it('fires on its cron; each run is an ordinary batch under /runs; pause stops firing, resume starts again', async () => {
    const id = await createSchedule('every-5s', { cron: '*/5 * * * * *' }, { targets: { groupIds: [groupId] }, action: command('echo scheduled') });
    const fired = await waitForRuns(id, 'two scheduled runs to succeed', (r) => r.filter((x) => x.status === 'succeeded').length >= 2);
    const batchId = fired.find((r) => r.status === 'succeeded')?.batchId as string;
    const batch = await c.http<{ batch: { scheduleId: string; targetCount: number } }>('GET', `/v1/batches/${batchId}`);
    expect(batch.body.batch).toMatchObject({ scheduleId: id, targetCount: 1 });
    expect((await executionsOf(c, batchId))[0]).toMatchObject({ deviceId: a.id, status: 'succeeded', stdout: 'scheduled\n' });

    const paused = await c.http<{ schedule: { paused: boolean; note: string } }>('POST', `/v1/schedules/${id}/pause`, { note: 'maintenance window' });
    expect(paused.body.schedule).toMatchObject({ paused: true, note: 'maintenance window' });
    await new Promise((r) => setTimeout(r, 3_000)); // a run taken just before the pause may still be recorded
    const before = (await runs(id)).length;
    await new Promise((r) => setTimeout(r, 12_000));
    expect((await runs(id)).length).toBe(before);
    const shown = await c.http<{ schedule: { paused: boolean; nextRunTimes: string[]; runCount: number } }>('GET', `/v1/schedules/${id}`);
    expect(shown.body.schedule).toMatchObject({ paused: true, runCount: before });

    const resumed = await c.http<{ schedule: { paused: boolean } }>('POST', `/v1/schedules/${id}/resume`);
    expect(resumed.body.schedule.paused).toBe(false);
    await waitForRuns(id, 'a run after resume', (r) => r.length > before);
    await c.http('POST', `/v1/schedules/${id}/pause`);
  }, 150_000);

  it('trigger runs now, and a device added to the group before the run is included', async () => {
    const id = await createSchedule('nightly', { daily: { time: '03:00' } }, { targets: { groupIds: [groupId] }, action: command('hostname') });
    const set = await c.http('PUT', `/v1/groups/${groupId}/devices`, { deviceIds: [a.id, b.id] });
    expect(set.status).toBe(200);
    expect((await c.http('POST', `/v1/schedules/${id}/trigger`)).status).toBe(200);
    const [run] = await waitForRuns(id, 'the triggered run to succeed', (r) => r[0]?.status === 'succeeded');
    expect(run?.targetCount).toBe(2);
    const devices = (await executionsOf(c, run?.batchId as string)).map((e) => e.deviceId).sort();
    expect(devices).toEqual([a.id, b.id].sort());
  }, 90_000);

  it('overlap skip: a trigger while a run is still running is skipped', async () => {
    const id = await createSchedule('long', { daily: { time: '04:00' } }, { targets: { deviceIds: [a.id] }, action: command('sleep 6') }, { overlap: 'skip' });
    await c.http('POST', `/v1/schedules/${id}/trigger`);
    await waitForRuns(id, 'the long run to start', (r) => r[0]?.status === 'running');
    expect((await c.http('POST', `/v1/schedules/${id}/trigger`)).status).toBe(200);
    await waitForRuns(id, 'the long run to finish', (r) => r[0]?.status === 'succeeded');
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await runs(id)).toHaveLength(1);
    const shown = await c.http<{ schedule: { temporal: { skippedOverlap: number; actionCount: number } } }>('GET', `/v1/schedules/${id}`);
    expect(shown.body.schedule.temporal.actionCount).toBe(1);
  }, 90_000);

  it('a run whose targets match no device is a failed run with the reason; the schedule keeps going', async () => {
    const id = await createSchedule('nobody', { cron: '*/5 * * * * *' }, { targets: { tags: ['no-such-tag'] }, action: command('true') });
    const failed = await waitForRuns(id, 'two failed runs', (r) => r.length >= 2);
    expect(failed.every((r) => r.status === 'failed' && r.batchId === null && /no_targets/.test(r.error ?? ''))).toBe(true);
    const shown = await c.http<{ schedule: { paused: boolean; lastRun: Run; nextRunTimes: string[] } }>('GET', `/v1/schedules/${id}`);
    expect(shown.body.schedule.paused).toBe(false);
    expect(shown.body.schedule.lastRun.status).toBe('failed');
    expect(shown.body.schedule.nextRunTimes).toHaveLength(5);
    expect((await c.http('DELETE', `/v1/schedules/${id}`)).status).toBe(204);
  }, 90_000);

  it('delete removes the Temporal schedule; the batches it started stay', async () => {
    const id = await createSchedule('short-lived', { daily: { time: '05:00' } }, { targets: { deviceIds: [b.id] }, action: command('true') });
    await c.http('POST', `/v1/schedules/${id}/trigger`);
    const [run] = await waitForRuns(id, 'the run to succeed', (r) => r[0]?.status === 'succeeded');
    expect((await c.http('DELETE', `/v1/schedules/${id}`)).status).toBe(204);
    expect((await c.http('GET', `/v1/schedules/${id}`)).status).toBe(404);
    expect((await c.http('GET', `/v1/schedules/${id}/runs`)).status).toBe(404);
    expect((await c.http('GET', `/v1/batches/${run?.batchId}`)).status).toBe(200);
  }, 60_000);
});
