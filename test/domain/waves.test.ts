import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Action } from '../../src/protocol/v1/action';
import { countOrPercent, MAX_WAVE_PAUSE_SEC, resolveWaves, waveFields } from '../../src/domain/waves';

const seal = (a: Action): string => `sealed:${a.type}`;
const MAX = 10_000;

describe('resolveWaves: wave size', () => {
  const cases: Array<[string, number | string | undefined, number, number, number]> = [
    // [name, waveSize, targets, maxSize, expected size]
    ['unset: one device per wave', undefined, 10, MAX, 1],
    ['a count', 3, 10, MAX, 3],
    ['a count above the targets is capped at the targets', 50, 10, MAX, 10],
    ['a count above maxSize is capped at maxSize', 500, 1000, 100, 100],
    ['0 devices: still a size of 1', 5, 0, MAX, 1],
    ['0 devices with a percentage: 1', '50%', 0, MAX, 1],
    ['100% is every target', '100%', 37, MAX, 37],
    ['100% capped by maxSize', '100%', 37, 10, 10],
    ['10% of 100 is 10', '10%', 100, MAX, 10],
    ['10% of 15 rounds up to 2', '10%', 15, MAX, 2],
    ['7% of 100 is 7 (no floating-point excess)', '7%', 100, MAX, 7],
    ['14% of 100 is 14', '14%', 100, MAX, 14],
    ['12.5% of 8 is 1', '12.5%', 8, MAX, 1],
    ['33% of 10 rounds up to 4', '33%', 10, MAX, 4],
    ['1% of 10 rounds up to 1', '1%', 10, MAX, 1],
    ['0% is at least 1', '0%', 10, MAX, 1],
    ['a fractional percentage: 12.5% of 8 is 1', '12.5%', 8, MAX, 1],
    ['a fractional percentage: 12.5% of 9 rounds up to 2', '12.5%', 9, MAX, 2],
  ];
  it.each(cases)('%s', (_name, waveSize, total, maxSize, expected) => {
    expect(resolveWaves({ waveSize }, total, maxSize, seal).size).toBe(expected);
  });
});

describe('resolveWaves: failures allowed per wave', () => {
  const cases: Array<[string, number | string | undefined, number | string, number | null]> = [
    // [name, maxFailuresPerWave, waveSize (of 100 targets), expected]
    ['unset: no limit', undefined, 10, null],
    ['a count is kept as it is', 2, 10, 2],
    ['a count larger than the wave is kept as it is', 50, 10, 50],
    ['0 is zero tolerance, not "no limit"', 0, 10, 0],
    ['a percentage is of the wave, rounded down: 25% of 10 is 2', '25%', 10, 2],
    ['a percentage of the resolved wave size: 50% of 30% of 100 is 15', '50%', '30%', 15],
    ['a percentage below one device rounds down to 0', '5%', 10, 0],
    ['100% of the wave', '100%', 7, 7],
  ];
  it.each(cases)('%s', (_name, maxFailuresPerWave, waveSize, expected) => {
    expect(resolveWaves({ waveSize, maxFailuresPerWave }, 100, MAX, seal).maxFailuresPerWave).toBe(expected);
  });
});

describe('resolveWaves: the other settings', () => {
  it('defaults: no pause, no approval, no health check', () => {
    expect(resolveWaves({}, 4, MAX, seal)).toEqual({ size: 1, pauseBetweenSec: 0, maxFailuresPerWave: null, approveAfterFirstWave: false, healthCheck: null });
  });

  it('keeps the pause and approval and seals the health check', () => {
    const healthCheck: Action = { type: 'command', command: 'curl -f localhost/health', shell: 'sh', timeoutSec: 10 };
    const resolved = resolveWaves({ waveSize: 2, pauseBetweenWavesSec: 30, approveAfterFirstWave: true, healthCheck }, 4, MAX, seal);
    expect(resolved).toEqual({ size: 2, pauseBetweenSec: 30, maxFailuresPerWave: null, approveAfterFirstWave: true, healthCheck: 'sealed:command' });
  });
});

describe('wave request fields', () => {
  const accepts = (schema: z.ZodType, value: unknown): boolean => schema.safeParse(value).success;
  const countCases: Array<[unknown, boolean]> = [
    [0, true],
    [7, true],
    ['0%', true],
    ['5%', true],
    ['99.5%', true],
    ['100%', true],
    [-1, false],
    [1.5, false],
    ['101%', false],
    ['5', false],
    ['%', false],
    ['-5%', false],
    ['05%', false],
  ];
  it.each(countCases)('countOrPercent %o: accepted %s', (value, ok) => {
    expect(accepts(countOrPercent, value)).toBe(ok);
  });

  it('waveSize must be at least 1 as a count, any valid percentage', () => {
    expect(accepts(waveFields.waveSize, 0)).toBe(false);
    expect(accepts(waveFields.waveSize, 1)).toBe(true);
    expect(accepts(waveFields.waveSize, '0%')).toBe(true);
  });

  it('the pause between waves is at most 7 days', () => {
    expect(MAX_WAVE_PAUSE_SEC).toBe(604_800);
    expect(accepts(waveFields.pauseBetweenWavesSec, MAX_WAVE_PAUSE_SEC)).toBe(true);
    expect(accepts(waveFields.pauseBetweenWavesSec, MAX_WAVE_PAUSE_SEC + 1)).toBe(false);
    expect(accepts(waveFields.pauseBetweenWavesSec, -1)).toBe(false);
  });
});
