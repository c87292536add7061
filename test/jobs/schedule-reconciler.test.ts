// The schedule reconciler against real PostgreSQL and the real dev server: each crash window of
// lifecycle.ts (row without Temporal schedule, delete left half done, Temporal schedule without row) is healed.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchRequest } from '../../src/domain/batch';
import { insertSchedule, type NewSchedule } from '../../src/db/queries/schedules';
import { schedules, type ScheduleRow } from '../../src/db/schema';
import { reconcileSchedules } from '../../src/jobs/schedule-reconciler';
import { createTemporalSchedule, describeTemporalSchedule } from '../../src/schedules/temporal-schedule';
import { scheduleTemporalId } from '../../src/workflows/definitions';
import { startHarness, type Harness } from '../api/harness';
import type { TestDatabase } from '../helpers/database';

let h: Harness;
let tdb: TestDatabase;
let client: Client;

beforeAll(async () => {
  // A namespace of its own that no worker polls: started workflows stay running, as after a crash of every worker.
  h = await startHarness();
  tdb = h.db;
  client = h.client;
});

afterAll(async () => {
  await h?.close();
});

function scheduleRow(name: string): NewSchedule & { id: string; temporalScheduleId: string } {
  const id = randomUUID();
  return {
    id,
    name,
    owner: 'admin',
    spec: { daily: { time: '03:00' } },
    timezone: 'UTC',
    overlap: 'skip',
    batch: { targets: { tags: ['nightly'] }, action: { type: 'command', command: 'true' } } as unknown as BatchRequest,
    batchSealed: null,
    catchupWindowSec: 300,
    paused: false,
    temporalScheduleId: scheduleTemporalId(name, id),
  };
}

async function listed(temporalId: string): Promise<boolean> {
  for await (const s of client.schedule.list()) if (s.scheduleId === temporalId) return true;
  return false;
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + 20_000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

describe('reconcileSchedules', () => {
  it('creates the Temporal schedule of a row stored without one, once, and leaves young rows alone', async () => {
    const row = await insertSchedule(tdb.handle.orm, scheduleRow('orphan-row'));
    expect((await reconcileSchedules(tdb.handle.orm, client, 60_000)).created).not.toContain(row.id);
    expect(await describeTemporalSchedule(client, row)).toBeNull();

    expect((await reconcileSchedules(tdb.handle.orm, client, 0)).created).toEqual([row.id]);
    const described = await describeTemporalSchedule(client, row);
    expect(described?.memo).toMatchObject({ flotillaScheduleId: row.id });
    await eventually('the schedule to be listed', () => listed(row.temporalScheduleId));
    expect((await reconcileSchedules(tdb.handle.orm, client, 0)).created).toEqual([]);
  });

  it('finishes a delete left half done: the Temporal schedule and then the row are gone', async () => {
    const row = await insertSchedule(tdb.handle.orm, scheduleRow('half-deleted'));
    await createTemporalSchedule(client, row);
    await tdb.handle.orm.update(schedules).set({ deletedAt: new Date(Date.now() - 1000) }).where(eq(schedules.id, row.id));

    expect((await reconcileSchedules(tdb.handle.orm, client, 0)).deleted).toContain(row.id);
    expect(await describeTemporalSchedule(client, row)).toBeNull();
    expect(await tdb.handle.orm.select().from(schedules).where(eq(schedules.id, row.id))).toEqual([]);
  });

  it('deletes a Temporal schedule of ours that has no row', async () => {
    const row = scheduleRow('no-row') as ScheduleRow;
    await createTemporalSchedule(client, { ...row, note: null, startAt: null, endAt: null, deletedAt: null, createdAt: new Date(), updatedAt: new Date() });
    await eventually('the schedule to be listed', () => listed(row.temporalScheduleId));

    expect((await reconcileSchedules(tdb.handle.orm, client, 0)).orphansDeleted).toEqual([row.temporalScheduleId]);
    expect(await describeTemporalSchedule(client, row)).toBeNull();
  });

  it('never touches a schedule that is not ours, even with our prefix', async () => {
    const foreign = `schedule-other-app-${randomUUID().slice(0, 8)}`;
    await client.schedule.create({
      scheduleId: foreign,
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'somethingElse', taskQueue: 'other-app', args: [] },
    });
    await eventually('the schedule to be listed', () => listed(foreign));
    expect((await reconcileSchedules(tdb.handle.orm, client, 0)).orphansDeleted).not.toContain(foreign);
    expect(await describeTemporalSchedule(client, { temporalScheduleId: foreign })).not.toBeNull();
  });
});
