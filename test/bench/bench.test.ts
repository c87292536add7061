// The benchmark's own pieces: the measuring helpers, and the simulated fleet against the floor server
// (two real protocol peers over real WebSockets, in separate processes).
import { describe, expect, it } from 'vitest';
import { measureFloor, slidingWindow } from '../../bench/floor';
import { percentile } from '../../bench/measure';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('slidingWindow', () => {
  it('runs every index once and never more than the window at a time', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await slidingWindow(25, 4, async (i) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      seen.push(i);
      await new Promise((r) => setTimeout(r, 1 + (i % 3)));
      inFlight -= 1;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(peak).toBe(4);
  });
});

describe('fleet against the floor', () => {
  it('connects every simulated agent and answers every dispatch', async () => {
    const result = await measureFloor({ devices: 50, concurrency: 10, connectTimeoutMs: 30_000 });
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.seconds).toBeLessThan(10);
  });
});
