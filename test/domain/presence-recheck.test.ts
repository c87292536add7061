import { describe, expect, it } from 'vitest';
import { RECHECK_FIRST_MS, RECHECK_MAX_MS, recheckDelayMs } from '../../src/domain/presence-recheck';

/** The waits of a device offline for a whole window of `windowMs`. */
function waitsOver(windowMs: number): number[] {
  const waits: number[] = [];
  for (let remaining = windowMs; remaining > 0; ) {
    const wait = recheckDelayMs(waits.length, remaining);
    waits.push(wait);
    remaining -= wait;
  }
  return waits;
}

describe('recheckDelayMs', () => {
  it('starts at the first interval and doubles up to the cap', () => {
    expect([0, 1, 2, 3, 10, 100].map((a) => recheckDelayMs(a, 3_600_000))).toEqual([15_000, 30_000, 60_000, 60_000, 60_000, 60_000]);
    expect(RECHECK_MAX_MS).toBe(4 * RECHECK_FIRST_MS);
  });

  it('never waits past the window, and waits out a short tail instead of leaving it', () => {
    expect(recheckDelayMs(3, 10_000)).toBe(10_000);
    expect(recheckDelayMs(3, 75_000)).toBe(75_000);
    expect(recheckDelayMs(3, 76_000)).toBe(60_000);
    expect(recheckDelayMs(0, 0)).toBe(0);
  });

  it('re-checks a few times per delivery window', () => {
    expect(waitsOver(300_000)).toEqual([15_000, 30_000, 60_000, 60_000, 60_000, 75_000]);
    expect(waitsOver(60_000)).toEqual([15_000, 45_000]);
  });
});
