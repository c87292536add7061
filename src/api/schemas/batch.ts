// A batch and its executions as the API shows them. Env values never leave the server: the action
// shows env keys with redacted values.
import { z } from '@hono/zod-openapi';
import type { BatchLinks } from '../../db/queries/batch-links';
import type { ExecutionStats, ExecutionView } from '../../db/queries/batches';
import type { BatchRow } from '../../db/schema';
import { workOf } from '../../domain/work';
import { BATCH_PURPOSES, BATCH_STATUSES, EXECUTION_STATUSES, FINAL_EXECUTION_STATUSES } from '../../domain/status';
import { STEP_MODES } from '../../protocol/v1/action';
import { iso, timestamp } from './common';
import { showAction, shownActionSchema, stepResultSchema, toStepJson } from './step';
import type { StepView } from '../../db/queries/execution-steps';

export const batchStatusSchema = z.enum(BATCH_STATUSES);
export const executionStatusSchema = z.enum(EXECUTION_STATUSES);

const countOrPercent = z.union([z.number(), z.string()]);

export const statsSchema = z.record(executionStatusSchema, z.number().int()).openapi('ExecutionStats');

export const batchSchema = z
  .object({
    id: z.uuid(),
    status: batchStatusSchema,
    owner: z.string().openapi({ description: 'the principal id that started it' }),
    action: shownActionSchema.optional().openapi({ description: 'the action, when the batch runs a single one' }),
    steps: z.array(shownActionSchema).openapi({ description: 'what runs on each device (a single action is one step)' }),
    stepMode: z.enum(STEP_MODES),
    strategy: z.object({
      mode: z.enum(['parallel', 'sequential', 'waves']),
      concurrency: z.number().int(),
      maxFailures: z.number().int().nullable(),
      waves: z
        .object({
          size: z.number().int(),
          pauseBetweenSec: z.number().int(),
          maxFailuresPerWave: z.number().int().nullable(),
          approveAfterFirstWave: z.boolean(),
          healthCheck: shownActionSchema.nullable(),
        })
        .optional()
        .openapi({ description: 'waves mode: the resolved wave settings' }),
      requested: z.object({
        concurrency: countOrPercent,
        maxFailures: countOrPercent.nullable(),
        waveSize: countOrPercent.optional(),
        maxFailuresPerWave: countOrPercent.nullable().optional(),
      }),
    }),
    purpose: z.enum(BATCH_PURPOSES).openapi({ description: 'run, or health_check: the health check of one wave of parentBatchId' }),
    parentBatchId: z.uuid().nullable(),
    retryOf: z.uuid().nullable().openapi({ description: 'the batch this one retries' }),
    scheduleId: z.uuid().nullable().openapi({ description: 'the schedule whose run started this batch' }),
    retries: z.array(z.uuid()).openapi({ description: 'batches that retry this one, oldest first' }),
    healthChecks: z.array(z.uuid()).openapi({ description: 'waves mode: the health check batch of each wave, in order' }),
    targetCount: z.number().int(),
    deliveryTimeoutSec: z.number().int(),
    deadlineSec: z.number().int().nullable(),
    workflowId: z.string(),
    error: z.string().nullable(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    completedAt: timestamp.nullable(),
    stats: statsSchema,
  })
  .openapi('Batch');

export type BatchJson = z.infer<typeof batchSchema>;

export function toBatchJson(b: BatchRow, stats: ExecutionStats, links: BatchLinks = { retries: [], healthChecks: [] }): BatchJson {
  const { waves, ...strategy } = b.strategy;
  const work = workOf(b);
  const steps = work.steps.map(showAction);
  return {
    id: b.id,
    status: b.status,
    owner: b.owner,
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
  if (targetCount === 0) return 100;
  const done = FINAL_EXECUTION_STATUSES.reduce((n, s) => n + stats[s], 0);
  return Math.floor((done / targetCount) * 1000) / 10;
}

export const batchCreatedSchema = z
  .object({
    batchId: z.uuid(),
    workflowId: z.string(),
    targetCount: z.number().int(),
    deviceIds: z.array(z.uuid()),
  })
  .openapi('BatchCreated');

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

export function toExecutionJson(e: ExecutionView, steps: readonly StepView[]): z.infer<typeof executionSchema> {
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
