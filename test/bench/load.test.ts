// bench:load for a few seconds on a small fleet, as a real child process: one JSON line of the right
// shape, every batch finished, nothing lost, nothing run twice, no API error.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLoad } from '../../bench/load-check';

const ROOT = path.resolve(__dirname, '../..');

function runLoad(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/load.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('checkLoad', () => {
  it('counts runs of one execution id, results stored otherwise than reported, and non-final rows', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-load-check-'));
    const journal = path.join(dir, 'journal.txt');
    writeFileSync(journal, ['ran e1 d1', 'acked e1', 'ran e2 d2', 'ran e2 d2', 'ran e3 d3', 'ran e5 d5', ''].join('\n'));
    const rows = [
      { id: 'e1', batchId: 'b1', status: 'succeeded' },
      { id: 'e2', batchId: 'b1', status: 'succeeded' },
      { id: 'e3', batchId: 'b1', status: 'failed' },
      { id: 'e4', batchId: 'b1', status: 'running' },
      { id: 'e5', batchId: 'b2', status: 'running' },
    ];
    try {
      expect(checkLoad(journal, rows, new Set(['b2']))).toEqual({ devicesCompleted: 3, notSucceeded: 1, lostResults: 2, duplicateExecutions: 1, ran: 4 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bench:load', () => {
  it('prints one JSON line with the mix it ran and zero lost results and duplicate executions', async () => {
    const run = await runLoad(['--seconds', '4', '--devices', '20', '--large-size', '10', '--large-every', '2', '--churn-per-sec', '2', '--reads-per-sec', '5']);
    // Temporal Core may print warnings on stdout under load; the result is the one line that is JSON.
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('{'));
    expect(lines, run.stderr.slice(-3000)).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as Record<'smallBatches' | 'largeBatches' | 'devicesCompleted' | 'batchesStarted' | 'batchesCompleted' | 'apiCalls' | 'apiP50Ms' | 'apiP99Ms', number>;
    expect(Object.keys(result).sort()).toEqual(
      ['apiCalls', 'apiP50Ms', 'apiP99Ms', 'batchesCompleted', 'batchesStarted', 'devices', 'devicesCompleted', 'duplicateExecutions', 'errors', 'largeBatches', 'lostResults', 'notSucceeded', 'peakRssMb', 'seconds', 'smallBatches', 'throttled', 'wallSeconds'].sort(),
    );
    for (const v of Object.values(result)) expect(typeof v).toBe('number');
    expect(result).toMatchObject({ seconds: 4, devices: 20, lostResults: 0, duplicateExecutions: 0, errors: 0, notSucceeded: 0 });
    expect(result.batchesCompleted).toBe(result.batchesStarted);
    expect(result.smallBatches).toBeGreaterThan(0);
    expect(result.largeBatches).toBeGreaterThan(0);
    expect(result.devicesCompleted).toBeGreaterThanOrEqual(result.smallBatches * 3 + result.largeBatches * 10);
    expect(result.apiCalls).toBeGreaterThan(result.batchesStarted);
    expect(result.apiP99Ms).toBeGreaterThanOrEqual(result.apiP50Ms);
    expect(run.code).toBe(0);
  }, 300_000);
});
