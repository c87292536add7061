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
    targetCount: z.number().int().nullable().openapi({ description: "devices the run's batch targeted; null without a batch" }),
    createdAt: timestamp,
  })
  .openapi('ScheduleRun');

export const scheduleSchema = z
  .object({
    id: z.uuid(),
    owner: ownerSchema,
    name: z.string(),
    spec: z.record(z.string(), z.unknown()).openapi({ description: 'as given: one of once, daily, weekly, monthly, cron' }),
    timezone: z.string().openapi({ description: 'IANA timezone the spec is read in' }),
    overlap: z.enum(OVERLAP_POLICIES).openapi({ description: 'what happens when a run is due while the last one still runs' }),
    paused: z.boolean().openapi({ description: 'takes no runs until resumed' }),
    note: z.string().nullable().openapi({ description: 'the note given with create or pause' }),
    batch: z.record(z.string(), z.unknown()).openapi({ description: 'the POST /v1/batches body each run uses, env values redacted' }),
    catchupWindowSec: z.number().int().openapi({ description: 'a missed run still starts if at most this late' }),
    startAt: timestamp.nullable().openapi({ description: 'no runs before this instant' }),
    endAt: timestamp.nullable().openapi({ description: 'no runs after this instant' }),
    temporalScheduleId: z.string().openapi({ description: 'the Temporal Schedule behind it' }),
    nextRunTimes: z.array(timestamp).openapi({ description: `the next ${NEXT_RUNS_SHOWN} times Temporal will run it (none while paused)` }),
    recentRuns: z
      .array(
        z.object({
          scheduledAt: timestamp.openapi({ description: 'when the run was due' }),
          startedAt: timestamp,
          workflowId: z.string().openapi({ description: 'the run workflow Temporal started' }),
        }),
      )
      .openapi({ description: 'the latest runs Temporal took, from its describe' }),
    runningWorkflowIds: z.array(z.string()).openapi({ description: 'run workflows still running' }),
    runCount: z.number().int().openapi({ description: 'runs recorded so far' }),
    lastRun: runSchema.nullable(),
    temporal: z
      .object({
        actionCount: z.number().int().openapi({ description: 'runs Temporal started' }),
        skippedOverlap: z.number().int().openapi({ description: 'runs skipped by the overlap policy' }),
        missedCatchupWindow: z.number().int().openapi({ description: 'runs missed beyond the catch-up window' }),
      })
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
