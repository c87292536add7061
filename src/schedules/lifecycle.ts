// Creating, changing and deleting a schedule in both PostgreSQL and Temporal without letting them drift:
// - create: the row first, then the Temporal schedule; if Temporal refuses, the row is removed again.
//   A crash in between leaves a row without a Temporal schedule: the reconciler creates it (src/jobs/schedule-reconciler.ts).
// - change: the row is updated in a transaction that commits only after Temporal accepted the update.
// - delete: the row is marked deleted (invisible from then on), the Temporal schedule deleted, then the
//   row. A crash in between leaves a hidden marked row (deletedAt): the reconciler finishes the delete.
// - pause, resume, trigger: Temporal first; the row's copy of the paused state follows.
// A Temporal failure is a TemporalUnavailable (503), a spec Temporal refuses a 400 invalid_schedule.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { deleteScheduleRow, insertSchedule, markScheduleDeleted, updateSchedule, type NewSchedule, type ScheduleChanges } from '../db/queries/schedules';
import type { ScheduleRow } from '../db/schema';
import { DomainError, messageOf, TemporalUnavailable } from '../domain/errors';
import { createTemporalSchedule, deleteTemporalSchedule, updateTemporalSchedule } from './temporal-schedule';
import { OVERLAP } from './temporal-spec';

const GRPC_INVALID_ARGUMENT = 3;

/** Temporal refused the request itself (a spec it cannot represent), rather than being unreachable. */
function isInvalidArgument(err: unknown): boolean {
  // The SDK turns Temporal's "Invalid schedule spec" into a TypeError; other refusals keep the gRPC code.
  if (err instanceof TypeError) return true;
  for (let e: unknown = err; e instanceof Object; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === GRPC_INVALID_ARGUMENT) return true;
  }
  return false;
}

/** Runs a Temporal call that changes nothing in PostgreSQL when it fails: 400 invalid_schedule or 503. */
async function inTemporal<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isInvalidArgument(err)) {
      throw new DomainError(400, 'invalid_schedule', `Temporal refused the schedule; nothing was changed: ${messageOf(err)}`);
    }
    throw new TemporalUnavailable(`Temporal could not be reached; nothing was changed: ${messageOf(err)}`, undefined, { cause: err });
  }
}

export async function createSchedule(db: Database, client: Client, row: NewSchedule): Promise<ScheduleRow> {
  const stored = await insertSchedule(db, row).catch((err: unknown) => {
    if (isUniqueViolation(err, 'schedules_owner_name_key')) throw new DomainError(409, 'schedule_exists', `a schedule named ${row.name} already exists`);
    throw err;
  });
  try {
    await inTemporal(() => createTemporalSchedule(client, stored));
  } catch (err) {
    await deleteScheduleRow(db, stored.id);
    throw err;
  }
  return stored;
}

export async function changeSchedule(db: Database, client: Client, id: string, changes: ScheduleChanges): Promise<ScheduleRow | undefined> {
  return db.transaction(async (tx) => {
    const row = await updateSchedule(tx, id, changes);
    if (row) await inTemporal(() => updateTemporalSchedule(client, row));
    return row;
  });
}

export async function deleteSchedule(db: Database, client: Client, row: ScheduleRow): Promise<void> {
  await markScheduleDeleted(db, row.id);
  try {
    await deleteTemporalSchedule(client, row.temporalScheduleId);
  } catch (err) {
    const message = `the schedule is deleted here; its Temporal schedule will be deleted when Temporal answers: ${messageOf(err)}`;
    throw new TemporalUnavailable(message, undefined, { cause: err });
  }
  await deleteScheduleRow(db, row.id);
}

/** Pause and resume: Temporal holds the live state; the row keeps a copy so a lost Temporal schedule is rebuilt as it was. */
export async function pauseSchedule(db: Database, client: Client, row: ScheduleRow, note: string): Promise<ScheduleRow> {
  await inTemporal(() => client.schedule.getHandle(row.temporalScheduleId).pause(note));
  return (await updateSchedule(db, row.id, { paused: true, note })) ?? row;
}

export async function resumeSchedule(db: Database, client: Client, row: ScheduleRow, note: string): Promise<ScheduleRow> {
  await inTemporal(() => client.schedule.getHandle(row.temporalScheduleId).unpause(note));
  return (await updateSchedule(db, row.id, { paused: false, note: null })) ?? row;
}

/** A run now, under the schedule's own overlap policy (the SDK would default to allow_all). */
export async function triggerSchedule(client: Client, row: ScheduleRow): Promise<void> {
  await inTemporal(() => client.schedule.getHandle(row.temporalScheduleId).trigger(OVERLAP[row.overlap]));
}
