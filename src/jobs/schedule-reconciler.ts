// Heals the drift a crash can leave between a schedule's row and its Temporal Schedule (see src/schedules/lifecycle.ts):
// - a row whose Temporal schedule was never created (crash between the insert and the create) gets it;
// - a row marked deleted (crash mid-delete) has its delete finished, Temporal first;
// - a Temporal schedule of ours with no row (the create answered an error yet took effect) is deleted.
// Temporal's list is read before the rows, so a schedule being created right now (row first) is never an orphan.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { allScheduleRows, deleteScheduleRow } from '../db/queries/schedules';
import { createTemporalSchedule, deleteTemporalSchedule } from '../schedules/temporal-schedule';
import { SCHEDULE_ID_PREFIX } from '../workflows/definitions';

export interface ScheduleReconcileReport {
  created: string[];
  deleted: string[];
  orphansDeleted: string[];
}

/** One pass; rows younger than minAgeMs (and their deletes) may still be in progress and are left alone. */
export async function reconcileSchedules(db: Database, client: Client, minAgeMs: number): Promise<ScheduleReconcileReport> {
  const report: ScheduleReconcileReport = { created: [], deleted: [], orphansDeleted: [] };
  const inTemporal = new Set<string>();
  /** Ours: our id prefix and the memo we set, so another application's schedules in the namespace are never touched. */
  const ours = new Set<string>();
  for await (const s of client.schedule.list()) {
    inTemporal.add(s.scheduleId);
    if (s.scheduleId.startsWith(SCHEDULE_ID_PREFIX) && typeof s.memo?.flotillaScheduleId === 'string') ours.add(s.scheduleId);
  }
  const rows = await allScheduleRows(db);
  const known = new Set(rows.map((r) => r.temporalScheduleId));
  const cutoff = Date.now() - minAgeMs;
  for (const row of rows) {
    if (row.deletedAt !== null) {
      if (row.deletedAt.getTime() > cutoff) continue;
      await deleteTemporalSchedule(client, row.temporalScheduleId);
      await deleteScheduleRow(db, row.id);
      report.deleted.push(row.id);
    } else if (row.createdAt.getTime() <= cutoff && !inTemporal.has(row.temporalScheduleId)) {
      if ((await createTemporalSchedule(client, row)) === 'created') report.created.push(row.id);
    }
  }
  for (const temporalId of ours) {
    if (known.has(temporalId)) continue;
    await deleteTemporalSchedule(client, temporalId);
    report.orphansDeleted.push(temporalId);
  }
  return report;
}
