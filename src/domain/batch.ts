// A batch request as clients send it, and the resolved form stored and handed to the workflow.
import { z } from 'zod';
import { actionSchema, STEP_MODES, stepsSchema, type Action } from '../protocol/v1/action';
import { WAVE_ONLY_FIELDS, countOrPercent, resolveWaves, waveFields, type StoredWaves } from './waves';
import type { StoredAction } from './work';
import { countOf } from './percent';

/** How a batch dispatches: a sliding window of `concurrency` devices, one at a time, or rolling waves. */
export const EXECUTION_MODES = ['parallel', 'sequential', 'waves'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

/** Largest sliding window; keeps a batch run well below Temporal's 2,000 pending children. */
export const MAX_CONCURRENCY = 1000;

export const targetsSchema = z
  .object({
    deviceIds: z.array(z.string().uuid()).max(10_000).optional().describe('devices by id, run in the order given'),
    groupIds: z.array(z.string().uuid()).max(1_000).optional().describe('every member of these groups'),
    tags: z.array(z.string().min(1).max(128)).max(50).optional().describe('every device having all of these tags'),
  })
  .strict()
  .describe('which devices: the union of deviceIds, groupIds and tags (at least one), each device once')
  .refine((t) => (t.deviceIds?.length ?? 0) + (t.groupIds?.length ?? 0) + (t.tags?.length ?? 0) > 0, {
    message: 'name at least one of deviceIds, groupIds or tags',
  });

export const strategySchema = z
  .object({
    mode: z.enum(EXECUTION_MODES).default('parallel').describe('parallel: a sliding window of `concurrency` devices; sequential: one at a time; waves: fixed-size waves'),
    concurrency: countOrPercent
      .refine((v) => typeof v === 'string' || v >= 1, 'must be at least 1')
      .default(10)
      .describe(`parallel mode: devices running at once, or a percentage of the targets (at most ${MAX_CONCURRENCY})`),
    maxFailures: countOrPercent.optional().describe('failed devices beyond this stop the batch (the rest are skipped); a count or a percentage of the targets; unset: no limit'),
    stopOnFailure: z.boolean().optional().describe('true: the first failure stops the batch (maxFailures 0)'),
    ...waveFields,
  })
  .strict()
  .refine((s) => !(s.stopOnFailure === true && s.maxFailures !== undefined && s.maxFailures !== 0), {
    message: 'stopOnFailure: true means maxFailures 0; do not give both',
  })
  .superRefine((s, ctx) => {
    if (s.mode === 'waves' && s.waveSize === undefined) {
      ctx.addIssue({ code: 'custom', path: ['waveSize'], message: 'is required when mode is "waves"' });
    }
    if (s.mode === 'waves') return;
    for (const field of WAVE_ONLY_FIELDS) {
      if (s[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'applies only when mode is "waves"' });
    }
  });

export const batchRequestSchema = z
  .object({
    targets: targetsSchema,
    /** One action; or `steps`, several run on each device. */
    action: actionSchema.optional().describe('what runs on each device; give action or steps'),
    steps: stepsSchema.optional().describe('several actions run on each device; give action or steps'),
    /** sequential (default): in order, a failed step ends the device unless it says continueOnError. */
    stepMode: z
      .enum(STEP_MODES)
      .optional()
      .describe('with steps: sequential (default; a failed step ends the device unless continueOnError) or parallel'),
    strategy: strategySchema.default({ mode: 'parallel', concurrency: 10 }).describe('how devices are dispatched and when the batch stops early'),
    deliveryTimeoutSec: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600)
      .default(300)
      .describe('how long a device may stay offline before its execution is undeliverable'),
    deadlineSec: z.number().int().min(1).max(30 * 24 * 3600).optional().describe('the whole batch ends by then: devices not yet done are cancelled or skipped'),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.action === undefined) === (b.steps === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'give exactly one of action or steps' });
    }
    if (b.stepMode !== undefined && b.steps === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stepMode'], message: 'stepMode goes with steps' });
    }
  });

export type BatchRequest = z.infer<typeof batchRequestSchema>;
export type StoredTargets = z.infer<typeof targetsSchema>;

export interface StoredStrategy {
  mode: ExecutionMode;
  /** Resolved against the target count (in waves mode: the wave size, a whole wave runs at once). */
  concurrency: number;
  /** Resolved; failures beyond this stop the batch. null: no limit. */
  maxFailures: number | null;
  /** Waves mode only. */
  waves?: StoredWaves<StoredAction>;
  /** As the client gave them, for display and to resolve them again for a retry's target count. */
  requested: { concurrency: number | string; maxFailures: number | string | null; waveSize?: number | string; maxFailuresPerWave?: number | string | null };
}

/** "10%" of total rounded up (at least 1), or the number itself. */
export function resolveConcurrency(value: number | string, total: number): number {
  const n = countOf(value, total, 'up');
  return Math.max(1, Math.min(n, MAX_CONCURRENCY, Math.max(total, 1)));
}

/** "10%" of total rounded down, or the number itself. */
export function resolveMaxFailures(value: number | string, total: number): number {
  return countOf(value, total, 'down');
}

/**
 * Percentages resolved against `total`. In waves mode a whole wave runs at once, so the window is the
 * wave size and `concurrency` is not used. `seal` stores a health check action as the batch action is.
 */
export function resolveStrategy(s: BatchRequest['strategy'], total: number, seal: (a: Action) => StoredAction): StoredStrategy {
  const requestedFailures = s.stopOnFailure === true ? 0 : (s.maxFailures ?? null);
  const maxFailures = requestedFailures === null ? null : resolveMaxFailures(requestedFailures, total);
  if (s.mode === 'waves') {
    const waves = resolveWaves(s, total, MAX_CONCURRENCY, seal);
    const requested = { concurrency: waves.size, maxFailures: requestedFailures, waveSize: s.waveSize ?? 1, maxFailuresPerWave: s.maxFailuresPerWave ?? null };
    return { mode: s.mode, concurrency: waves.size, maxFailures, waves, requested };
  }
  return {
    mode: s.mode,
    concurrency: s.mode === 'sequential' ? 1 : resolveConcurrency(s.concurrency, total),
    maxFailures,
    requested: { concurrency: s.mode === 'sequential' ? 1 : s.concurrency, maxFailures: requestedFailures },
  };
}
