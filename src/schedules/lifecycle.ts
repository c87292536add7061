// Creating, changing and deleting a schedule in both PostgreSQL and Temporal without letting them drift:
// - create: the row first, then the Temporal schedule; if Temporal refuses, the row is removed again.
//   A crash in between leaves a row without a Temporal schedule: the reconciler creates it (reconcile.ts).
// - change: the row is updated in a transaction that commits only after Temporal accepted the update.
// - delete: the row is marked deleted (invisible from then on), the Temporal schedule deleted, then the
//   row. A crash in between leaves a hidden marked row (deletedAt): the reconciler finishes the delete.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { deleteScheduleRow, insertSchedule, markScheduleDeleted, updateSchedule, type NewSchedule, type ScheduleChanges } from '../db/queries/schedules';
import type { ScheduleRow } from '../db/schema';
import { createTemporalSchedule, deleteTemporalSchedule, updateTemporalSchedule } from './temporal-schedule';

const GRPC_INVALID_ARGUMENT = 3;

/** Temporal did not accept the call; PostgreSQL was left as it was (or will be healed by the reconciler). */
export class TemporalUnavailable extends Error {
  /** Temporal refused the request itself (a spec it cannot represent), rather than being unreachable. */
  readonly invalidArgument: boolean;
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'TemporalUnavailable';
    // The SDK turns Temporal's "Invalid schedule spec" into a TypeError; other refusals keep the gRPC code.
    let invalid = cause instanceof TypeError;
    for (let e: unknown = cause; e instanceof Object; e = (e as { cause?: unknown }).cause) {
      if ((e as { code?: unknown }).code === GRPC_INVALID_ARGUMENT) invalid = true;
    }
    this.invalidArgument = invalid;
  }
}

async function inTemporal<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new TemporalUnavailable(err);
  }
}

export async function createSchedule(db: Database, client: Client, row: NewSchedule): Promise<ScheduleRow> {
  const stored = await insertSchedule(db, row);
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
  await inTemporal(() => deleteTemporalSchedule(client, row.temporalScheduleId));
  await deleteScheduleRow(db, row.id);
}
