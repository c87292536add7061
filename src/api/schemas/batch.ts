// A batch and its executions as the API shows them. Env values never leave the server: the action
// shows env keys with redacted values.
import { z } from '@hono/zod-openapi';
import type { BatchLinks } from '../../db/queries/batch-links';
import type { ExecutionStats, ExecutionView } from '../../db/queries/batches';
import type { BatchRow } from '../../db/schema';
import { EXECUTION_MODES } from '../../domain/batch';
import { percentDone } from '../../domain/progress';
import { workOf } from '../../domain/work';
import { BATCH_PURPOSES, BATCH_STATUSES, EXECUTION_STATUSES, FINAL_EXECUTION_STATUSES } from '../../domain/status';
import { STEP_MODES } from '../../protocol/v1/action';
import { iso, ownerSchema, shownOwner, timestamp } from './common';
import { showAction, shownActionSchema, stepResultSchema, toStepJson } from './step';
import type { StepView } from '../../db/queries/execution-steps';

export const batchStatusSchema = z.enum(BATCH_STATUSES);
export const executionStatusSchema = z.enum(EXECUTION_STATUSES);

const countOrPercent = z.union([z.number(), z.string()]);

export const statsSchema = z
  .record(executionStatusSchema, z.number().int())
  .openapi('ExecutionStats', { description: 'number of devices in each execution status' });

export const batchSchema = z
  .object({
    id: z.uuid(),
    owner: ownerSchema,
    status: batchStatusSchema,
    action: shownActionSchema.optional().openapi({ description: 'the action, when the batch runs a single one' }),
    steps: z.array(shownActionSchema).openapi({ description: 'what runs on each device (a single action is one step)' }),
    stepMode: z.enum(STEP_MODES).openapi({ description: 'how the steps run on each device: sequential or parallel' }),
    strategy: z.object({
      mode: z.enum(EXECUTION_MODES).openapi({ description: 'parallel, sequential or waves' }),
      concurrency: z.number().int().openapi({ description: 'devices running at once, resolved against the target count' }),
      maxFailures: z.number().int().nullable().openapi({ description: 'failed devices beyond this stop the batch; null: no limit' }),
      waves: z
        .object({
          size: z.number().int(),
          pauseBetweenSec: z.number().int().openapi({ description: 'wait between waves' }),
          maxFailuresPerWave: z.number().int().nullable().openapi({ description: 'failures in one wave beyond this stop the batch; null: no limit' }),
          approveAfterFirstWave: z.boolean().openapi({ description: 'the batch pauses after the first wave until resumed' }),
          healthCheck: shownActionSchema.nullable().openapi({ description: 'run after each wave on its devices' }),
        })
        .optional()
        .openapi({ description: 'waves mode: the resolved wave settings' }),
      requested: z
        .object({
          concurrency: countOrPercent.openapi({ description: 'as requested: a count or a percentage' }),
          maxFailures: countOrPercent.nullable().openapi({ description: 'as requested: a count or a percentage; null: no limit' }),
          waveSize: countOrPercent.optional().openapi({ description: 'as requested (waves mode)' }),
          maxFailuresPerWave: countOrPercent.nullable().optional().openapi({ description: 'as requested (waves mode)' }),
        })
        .openapi({ description: 'the strategy values as the request gave them (a retry resolves them again)' }),
    }).openapi({ description: 'the dispatch strategy, resolved against the target count' }),
    purpose: z.enum(BATCH_PURPOSES).openapi({ description: 'run, or health_check: the health check of one wave of parentBatchId' }),
    parentBatchId: z.uuid().nullable().openapi({ description: 'health_check batches: the waves batch they check' }),
    retryOf: z.uuid().nullable().openapi({ description: 'the batch this one retries' }),
    scheduleId: z.uuid().nullable().openapi({ description: 'the schedule whose run started this batch' }),
    retries: z.array(z.uuid()).openapi({ description: 'batches that retry this one, oldest first' }),
    healthChecks: z.array(z.uuid()).openapi({ description: 'waves mode: the health check batch of each wave, in order' }),
    targetCount: z.number().int().openapi({ description: 'devices the batch runs on' }),
    deliveryTimeoutSec: z.number().int().openapi({ description: 'how long a device may stay offline before its execution is undeliverable' }),
    deadlineSec: z.number().int().nullable().openapi({ description: 'the whole batch ends by then; null: no deadline' }),
    workflowId: z.string().openapi({ description: 'the Temporal workflow running the batch' }),
    error: z.string().nullable().openapi({ description: 'why the batch failed, when it did' }),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    completedAt: timestamp.nullable(),
    stats: statsSchema,
  })
  .openapi('Batch');

export type BatchJson = z.infer<typeof batchSchema>;

export function toBatchJson(b: BatchRow, stats: ExecutionStats, links: BatchLinks = { retries: [], healthChecks: [] }, showOwner = false): BatchJson {
  const { waves, ...strategy } = b.strategy;
  const work = workOf(b);
  const steps = work.steps.map(showAction);
  return {
    id: b.id,
    ...shownOwner(b.owner, showOwner),
    status: b.status,
    ...(steps.length === 1 ? { action: steps[0] } : {}),
    steps,
    stepMode: work.stepMode,
    strategy: waves ? { ...strategy, waves: { ...waves, healthCheck: waves.healthCheck && showAction(waves.healthCheck) } } : strategy,
    purpose: b.purpose,
    parentBatchId: b.parentBatchId,
    retryOf: b.retryOf,
    scheduleId: b.scheduleId,
    ...links,
    targetCount: b.targetCount,
    deliveryTimeoutSec: b.deliveryTimeoutSec,
    deadlineSec: b.deadlineSec,
    workflowId: b.workflowId,
    error: b.error,
    createdAt: iso(b.createdAt),
    startedAt: iso(b.startedAt),
    completedAt: iso(b.completedAt),
    stats,
  };
}

/** Percent of executions in a final status, 0..100 with one decimal. */
export function progressOf(stats: ExecutionStats, targetCount: number): number {
  return percentDone(FINAL_EXECUTION_STATUSES.reduce((n, s) => n + stats[s], 0), targetCount);
}

export const batchCreatedSchema = z
  .object({
    batchId: z.uuid(),
    workflowId: z.string().openapi({ description: 'the Temporal workflow running the batch' }),
    targetCount: z.number().int().openapi({ description: 'devices the batch runs on' }),
    deviceIds: z.array(z.uuid()).openapi({ description: 'the resolved targets, in dispatch order' }),
  })
  .openapi('BatchCreated');

export type BatchCreatedJson = z.infer<typeof batchCreatedSchema>;

/** GET /v1/batches/:id, and the snapshot, counts and end events of its live stream. */
export const batchDetailSchema = z.object({
  batch: batchSchema,
  progress: z.number().min(0).max(100).openapi({ description: 'percent of devices in a final status' }),
});

export type BatchDetailJson = z.infer<typeof batchDetailSchema>;

export function toBatchCreatedJson(created: { row: BatchRow; deviceIds: string[] }): BatchCreatedJson {
  const { row, deviceIds } = created;
  return { batchId: row.id, workflowId: row.workflowId, targetCount: row.targetCount, deviceIds };
}

export const executionSchema = z
  .object({
    deviceId: z.uuid(),
    deviceName: z.string(),
    status: executionStatusSchema,
    exitCode: z.number().int().nullable(),
    stdout: z.string().nullable(),
    stderr: z.string().nullable(),
    truncated: z.boolean().openapi({ description: 'the agent kept only the first 1 MiB of an output' }),
    startedAt: timestamp.nullable().openapi({ description: 'when the command started on the device' }),
    completedAt: timestamp.nullable().openapi({ description: 'when the command ended on the device' }),
    durationMs: z.number().int().nullable(),
    error: z.string().nullable(),
    outputCut: z.boolean().openapi({ description: 'lists show only the first 4 KiB of each output; fetch the execution for all' }),
    steps: z.array(stepResultSchema).openapi({
      description: "each step's result once the device finished (outputs cut like the execution's in lists); a single step's output is also the execution's",
    }),
  })
  .openapi('Execution');

export type ExecutionJson = z.infer<typeof executionSchema>;

export function toExecutionJson(e: ExecutionView, steps: readonly StepView[]): ExecutionJson {
  return {
    deviceId: e.deviceId,
    deviceName: e.deviceName,
    status: e.status,
    exitCode: e.exitCode,
    stdout: e.stdout,
    stderr: e.stderr,
    truncated: e.truncated,
    startedAt: iso(e.startedAt),
    completedAt: iso(e.completedAt),
    durationMs: e.startedAt && e.completedAt ? e.completedAt.getTime() - e.startedAt.getTime() : null,
    error: e.error,
    outputCut: e.outputCut || steps.some((s) => s.outputCut),
    steps: steps.map(toStepJson),
  };
}
