// A stored schedule as a Temporal Schedule: its options (spec, the scheduled-run action whose only
// argument is the schedule id, overlap, catch-up window, memo and search attributes for the Temporal UI)
// and the calls that create, update and describe it.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleOptions } from '@temporalio/client';
import type { ScheduleRow } from '../db/schema';
import { describeWork, requestedSteps } from '../domain/work';
import { scheduledBatchWorkflow } from '../workflows';
import { SEARCH_ATTRIBUTES, WORKFLOW_TASK_QUEUE } from '../workflows/definitions';
import { OVERLAP, toTemporalSpec } from './temporal-spec';

type Definition = Pick<ScheduleOptions, 'spec' | 'action' | 'policies'>;

const attributesOf = (row: ScheduleRow): NonNullable<ScheduleOptions['typedSearchAttributes']> => [
  { key: SEARCH_ATTRIBUTES.scheduleId, value: row.id },
  { key: SEARCH_ATTRIBUTES.owner, value: row.owner },
];

/** What Temporal needs besides the id and state: identical for create and update. */
function definition(row: ScheduleRow): Definition {
  return {
    spec: toTemporalSpec(row.spec, { timezone: row.timezone, startAt: row.startAt, endAt: row.endAt }),
    action: {
      type: 'startWorkflow',
      workflowType: scheduledBatchWorkflow,
      // Temporal appends the scheduled time: schedule-<name>-<id>-2026-11-23T02:00:00Z.
      workflowId: row.temporalScheduleId,
      taskQueue: WORKFLOW_TASK_QUEUE,
      args: [{ scheduleId: row.id }],
      typedSearchAttributes: attributesOf(row),
      memo: { flotillaSchedule: row.name },
      staticSummary: `schedule ${row.name}: ${describeWork({ steps: requestedSteps(row.batch) })}`,
    },
    policies: { overlap: OVERLAP[row.overlap], catchupWindow: row.catchupWindowSec * 1000 },
  };
}

export async function createTemporalSchedule(client: Client, row: ScheduleRow): Promise<'created' | 'existed'> {
  try {
    await client.schedule.create({
      scheduleId: row.temporalScheduleId,
      ...definition(row),
      memo: { flotillaScheduleId: row.id, name: row.name },
      typedSearchAttributes: attributesOf(row),
      state: { paused: row.paused, ...(row.note ? { note: row.note } : {}) },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'existed';
    throw err;
  }
}

/** Replaces spec, action and policies; paused state and note stay as Temporal has them. */
export async function updateTemporalSchedule(client: Client, row: ScheduleRow): Promise<void> {
  await client.schedule.getHandle(row.temporalScheduleId).update((previous) => ({ ...definition(row), state: previous.state }));
}

/** The Temporal side of a schedule, or null when Temporal has none (the reconciler recreates it). */
export async function describeTemporalSchedule(client: Client, row: Pick<ScheduleRow, 'temporalScheduleId'>): Promise<ScheduleDescription | null> {
  try {
    return await client.schedule.getHandle(row.temporalScheduleId).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}

export async function deleteTemporalSchedule(client: Client, temporalScheduleId: string): Promise<void> {
  try {
    await client.schedule.getHandle(temporalScheduleId).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}
