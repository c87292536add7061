// A scheduled run's batch start is audited like one from the API: in the schedule owner's name, with
// the command and targets, once per run however often the activity is retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchLimitsOf } from '../../src/batches/create-batch';
import { startScheduledRun } from '../../src/schedules/start-run';
import { command } from '../api/batch-fixtures';
import { startHarness, type Harness, type Loose } from '../api/harness';
import { bearerOf, createUser, type TestUser } from '../api/users-fixtures';

let h: Harness;
let alice: TestUser;
beforeAll(async () => {
  h = await startHarness();
  alice = await createUser(h, 'alice', 'operator');
});
afterAll(async () => {
  await h.close();
});

describe('a scheduled batch start', () => {
  it('is one audit entry in the owner’s name with the schedule, command and targets, also when the run is retried', async () => {
    const as = bearerOf(alice);
    const device = (await h.json('POST', '/v1/devices', { name: 'web-1' }, as)).body.device.id;
    const group = (await h.json('POST', '/v1/groups', { name: 'web', deviceIds: [device] }, as)).body.group.id;
    const created = await h.json(
      'POST',
      '/v1/schedules',
      { name: 'nightly', spec: { daily: { time: '02:00' } }, batch: { targets: { groupIds: [group] }, action: command('apt-get -y upgrade') } },
      as,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const scheduleId = created.body.schedule.id;
    const deps = { db: h.db.handle.orm, ...batchLimitsOf(h.config) };
    const first = await startScheduledRun(deps, scheduleId, 'scheduled-run-1');
    const retried = await startScheduledRun(deps, scheduleId, 'scheduled-run-1');
    expect(first.kind).toBe('batch');
    expect(retried).toEqual(first);

    const entries = (await h.json('GET', '/v1/audit?action=batch.start', undefined, as)).body.items as Loose[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { id: alice.id, name: 'schedule nightly', tokenId: null },
      resource: { type: 'batch' },
      request: { method: 'SCHEDULE', path: `/v1/schedules/${scheduleId}` },
      details: { scheduleId, action: { command: 'apt-get -y upgrade' }, targets: { groupIds: [group] }, targetCount: 1 },
    });
  });
});
