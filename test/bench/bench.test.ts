// The benchmark's own pieces: the measuring helpers, the simulated fleet against the floor server
// (two real protocol peers over real WebSockets, in separate processes), and a tiny --enroll run of
// the whole benchmark as a child process.
import { spawn } from 'node:child_process';
import path from 'node:path';
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

describe('bench --enroll', () => {
  it('enrolls the fleet through POST /v1/enroll, runs the batch on it and reports the enrollment rate', async () => {
    const root = path.resolve(__dirname, '../..');
    const args = ['--devices', '5', '--concurrency', '5', '--runs', '1', '--phases', 'flotilla', '--enroll'];
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/batch.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines = stdout.split('\n').filter((l) => l.startsWith('{"devices"'));
    expect(lines, stderr.slice(-3000)).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as { devices: number; status: string; enrollSeconds: number; enrolledPerSecond: number; enrollRateLimit: string };
    expect(result).toMatchObject({ devices: 5, status: 'succeeded', enrollRateLimit: 'off' });
    expect(result.enrollSeconds).toBeGreaterThan(0);
    expect(result.enrolledPerSecond).toBeGreaterThan(0);
    expect(stderr).toContain('enrolled 5 devices');
    expect(code).toBe(0);
  }, 120_000);
});
