// A schedule as the API shows it: the spec and batch request as given (env values redacted), its
// paused state and note, and from Temporal's describe the next five run times and recent runs;
// from PostgreSQL the run count and the last run's result.
import { z } from '@hono/zod-openapi';
import type { ScheduleDescription } from '@temporalio/client';
import type { RunSummary, RunView } from '../../db/queries/schedules';
import type { ScheduleRow } from '../../db/schema';
import { BATCH_STATUSES } from '../../domain/status';
import { OVERLAP_POLICIES } from '../../domain/schedule-spec';
import { iso, ownerSchema, shownOwner, timestamp } from './common';

export const NEXT_RUNS_SHOWN = 5;

export const runSchema = z
  .object({
    id: z.uuid(),
    workflowId: z.string().openapi({ description: 'the run workflow Temporal started (schedule workflow id plus the scheduled time)' }),
    batchId: z.uuid().nullable().openapi({ description: 'null when the run could not start a batch' }),
    status: z.enum([...BATCH_STATUSES, 'failed']).openapi({ description: "the batch's status; failed with error when no batch could start" }),
    error: z.string().nullable(),
    targetCount: z.number().int().nullable(),
    createdAt: timestamp,
  })
  .openapi('ScheduleRun');

export const scheduleSchema = z
  .object({
    id: z.uuid(),
    owner: ownerSchema,
    name: z.string(),
    spec: z.record(z.string(), z.unknown()).openapi({ description: 'as given: one of once, daily, weekly, monthly, cron' }),
    timezone: z.string(),
    overlap: z.enum(OVERLAP_POLICIES),
    paused: z.boolean(),
    note: z.string().nullable(),
    batch: z.record(z.string(), z.unknown()).openapi({ description: 'the POST /v1/batches body each run uses, env values redacted' }),
    catchupWindowSec: z.number().int(),
    startAt: timestamp.nullable(),
    endAt: timestamp.nullable(),
    temporalScheduleId: z.string(),
    nextRunTimes: z.array(timestamp).openapi({ description: `the next ${NEXT_RUNS_SHOWN} times Temporal will run it (none while paused)` }),
    recentRuns: z.array(z.object({ scheduledAt: timestamp, startedAt: timestamp, workflowId: z.string() })),
    runningWorkflowIds: z.array(z.string()),
    runCount: z.number().int(),
    lastRun: runSchema.nullable(),
    temporal: z
      .object({ actionCount: z.number().int(), skippedOverlap: z.number().int(), missedCatchupWindow: z.number().int() })
      .nullable()
      .openapi({ description: 'counters from Temporal; null when Temporal could not be asked' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Schedule');

export type ScheduleJson = z.infer<typeof scheduleSchema>;
export type RunJson = z.infer<typeof runSchema>;

export function toRunJson(r: RunView): RunJson {
  return { ...r, createdAt: iso(r.createdAt) };
}

export function toScheduleJson(row: ScheduleRow, described: ScheduleDescription | null, runs: RunSummary, showOwner: boolean): ScheduleJson {
  const info = described?.info;
  return {
    id: row.id,
    ...shownOwner(row.owner, showOwner),
    name: row.name,
    spec: row.spec,
    timezone: row.timezone,
    overlap: row.overlap,
    paused: described?.state.paused ?? row.paused,
    note: (described ? described.state.note : row.note) || null,
    batch: row.batch,
    catchupWindowSec: row.catchupWindowSec,
    startAt: iso(row.startAt),
    endAt: iso(row.endAt),
    temporalScheduleId: row.temporalScheduleId,
    nextRunTimes: (info?.nextActionTimes ?? []).slice(0, NEXT_RUNS_SHOWN).map((d) => d.toISOString()),
    recentRuns: (info?.recentActions ?? []).map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      startedAt: a.takenAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
    runningWorkflowIds: (info?.runningActions ?? []).map((a) => a.workflow.workflowId),
    runCount: runs.count,
    lastRun: runs.last ? toRunJson(runs.last) : null,
    temporal: info
      ? { actionCount: info.numActionsTaken, skippedOverlap: info.numActionsSkippedOverlap, missedCatchupWindow: info.numActionsMissedCatchupWindow }
      : null,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
