// A batch and its executions as the API shows them. Env values never leave the server: the action
// shows env keys with redacted values.
import { z } from '@hono/zod-openapi';
import type { BatchLinks } from '../../db/queries/batch-links';
import type { ExecutionStats, ExecutionView } from '../../db/queries/batches';
import type { BatchRow } from '../../db/schema';
import type { StoredAction } from '../../domain/batch';
import { BATCH_PURPOSES, BATCH_STATUSES, EXECUTION_STATUSES, FINAL_EXECUTION_STATUSES } from '../../domain/status';
import { SHELLS } from '../../protocol/v1/action';
import { iso, timestamp } from './common';

export const REDACTED = '***';

export const batchStatusSchema = z.enum(BATCH_STATUSES);
export const executionStatusSchema = z.enum(EXECUTION_STATUSES);

const countOrPercent = z.union([z.number(), z.string()]);

export const shownActionSchema = z
  .object({
    type: z.literal('command'),
    command: z.string(),
    shell: z.enum(SHELLS),
    timeoutSec: z.number().int(),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.literal(REDACTED)).optional(),
  })
  .openapi('ShownAction');

export const statsSchema = z.record(executionStatusSchema, z.number().int()).openapi('ExecutionStats');

export const batchSchema = z
  .object({
    id: z.uuid(),
    status: batchStatusSchema,
    action: shownActionSchema,
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

export function showAction(a: StoredAction): z.infer<typeof shownActionSchema> {
  return {
    type: a.type,
    command: a.command,
    shell: a.shell,
    timeoutSec: a.timeoutSec,
    ...(a.cwd === undefined ? {} : { cwd: a.cwd }),
    ...(a.envKeys === undefined ? {} : { env: Object.fromEntries(a.envKeys.map((k) => [k, REDACTED] as const)) }),
  };
}

export function toBatchJson(b: BatchRow, stats: ExecutionStats, links: BatchLinks = { retries: [], healthChecks: [] }): BatchJson {
  const { waves, ...strategy } = b.strategy;
  return {
    id: b.id,
    status: b.status,
    action: showAction(b.action),
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
  })
  .openapi('Execution');

export function toExecutionJson(e: ExecutionView): z.infer<typeof executionSchema> {
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
    outputCut: e.outputCut,
  };
}
