// Rolling waves: a batch run in fixed-size waves, each one finished (and optionally health-checked)
// before the next starts. The request fields, their checks, and their resolved form.
import { z } from 'zod';
import { actionSchema, type Action } from '../protocol/v1/action';
import { PERCENT_PATTERN, countOf } from './percent';

/** Whole number, or a percentage like "10%" (of the targets for waveSize, of the wave for maxFailuresPerWave). */
export const countOrPercent = z.union([
  z.number().int().min(0),
  z.string().regex(PERCENT_PATTERN, 'must be a whole number or a percentage like "10%"'),
]);

/** Longest wait between two waves (7 days). */
export const MAX_WAVE_PAUSE_SEC = 7 * 24 * 3600;

export const waveFields = {
  waveSize: countOrPercent
    .refine((v) => typeof v === 'string' || v >= 1, 'must be at least 1')
    .optional()
    .describe('waves mode (required): devices per wave, or a percentage of the targets'),
  pauseBetweenWavesSec: z.number().int().min(0).max(MAX_WAVE_PAUSE_SEC).optional().describe('waves mode: wait this long between waves'),
  maxFailuresPerWave: countOrPercent.optional().describe('waves mode: failures in one wave (devices or health check) beyond this stop the batch; a count or a percentage of the wave'),
  healthCheck: actionSchema.optional().describe('waves mode: an action run on the wave\'s devices after each wave; its failures count against the wave'),
  approveAfterFirstWave: z.boolean().optional().describe('waves mode: pause after the first wave until POST /v1/batches/{id}/resume'),
};

export const WAVE_ONLY_FIELDS = Object.keys(waveFields) as Array<keyof typeof waveFields>;

/** The wave settings handed to the workflow. */
export interface ResolvedWaves {
  size: number;
  pauseBetweenSec: number;
  /** Failures (device or health check) in one wave beyond this stop the batch. null: no limit. */
  maxFailuresPerWave: number | null;
  approveAfterFirstWave: boolean;
  healthCheck: boolean;
}

/** As stored with the batch: the health check action itself, its env sealed like the batch action. */
export type StoredWaves<A> = Omit<ResolvedWaves, 'healthCheck'> & { healthCheck: A | null };

interface WaveRequest {
  waveSize?: number | string;
  pauseBetweenWavesSec?: number;
  maxFailuresPerWave?: number | string;
  healthCheck?: Action;
  approveAfterFirstWave?: boolean;
}

/** waveSize "N%" of the targets rounded up (at least 1, at most maxSize); maxFailuresPerWave "N%" of a wave rounded down. */
export function resolveWaves<A>(w: WaveRequest, total: number, maxSize: number, seal: (a: Action) => A): StoredWaves<A> {
  const size = Math.max(1, Math.min(countOf(w.waveSize ?? 1, total, 'up'), maxSize, Math.max(total, 1)));
  return {
    size,
    pauseBetweenSec: w.pauseBetweenWavesSec ?? 0,
    maxFailuresPerWave: w.maxFailuresPerWave === undefined ? null : countOf(w.maxFailuresPerWave, size, 'down'),
    approveAfterFirstWave: w.approveAfterFirstWave ?? false,
    healthCheck: w.healthCheck === undefined ? null : seal(w.healthCheck),
  };
}
