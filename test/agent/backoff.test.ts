import { describe, expect, it } from 'vitest';
import { abortableSleep, Backoff, backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from '../../src/agent/backoff';

describe('backoff', () => {
  it('grows exponentially from the initial delay and stops at the cap', () => {
    expect(backoffCeiling(0)).toBe(DEFAULT_BACKOFF.initialMs);
    expect(backoffCeiling(1)).toBe(DEFAULT_BACKOFF.initialMs * 2);
    expect(backoffCeiling(3)).toBe(DEFAULT_BACKOFF.initialMs * 8);
    expect(backoffCeiling(50)).toBe(DEFAULT_BACKOFF.maxMs);
  });

  it('jitters over the full range [0, ceiling)', () => {
    expect(backoffDelay(4, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelay(4, DEFAULT_BACKOFF, () => 0.5)).toBe(backoffCeiling(4) / 2);
    expect(backoffDelay(4, DEFAULT_BACKOFF, () => 0.999999)).toBeLessThan(backoffCeiling(4));
    const samples = Array.from({ length: 200 }, () => backoffDelay(6));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(backoffCeiling(6));
    expect(new Set(samples).size).toBeGreaterThan(50);
  });

  it('counts attempts and resets', async () => {
    const b = new Backoff({ initialMs: 1, maxMs: 4, factor: 2 }, () => 0);
    await b.wait();
    await b.wait();
    expect(b.attempts).toBe(2);
    b.reset();
    expect(b.attempts).toBe(0);
  });

  it('is cut short by an abort signal', async () => {
    const b = new Backoff({ initialMs: 60_000, maxMs: 60_000, factor: 2 }, () => 0.99);
    const ac = new AbortController();
    const started = Date.now();
    const waiting = b.wait(ac.signal);
    setTimeout(() => ac.abort(), 20);
    expect(await waiting).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await abortableSleep(10_000, ac.signal)).toBe(false);
    expect(await abortableSleep(5)).toBe(true);
  });
});
