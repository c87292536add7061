// The CLI on the event stream: `run --live` prints output while the commands still run, `batches watch`
// prints every device change as it happens, `batches export` downloads the results.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitFor } from '../helpers/ports';
import { startCliStack, type CliStack } from './cli-stack';
import { runCli, startCli } from './run-cli';

let cs: CliStack;
const cli = (...args: string[]) => runCli(args, cs.env);
const batchIdFrom = (stderr: string): string => /batch ([0-9a-f-]{36}) started/.exec(stderr)?.[1] ?? '';

beforeAll(async () => {
  cs = await startCliStack(inject('temporalAddress'), 'cli-follow');
}, 180_000);

afterAll(async () => {
  await cs?.stop();
});

async function startBatch(command: string): Promise<string> {
  const res = await fetch(`${cs.stack.apiUrl}/v1/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cs.stack.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ targets: { deviceIds: cs.stack.demoDeviceIds }, action: { type: 'command', command } }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { batchId: string }).batchId;
}

describe('flotilla on the event stream', () => {
  it('run --live prints each device’s output lines while the command is still running', async () => {
    const run = startCli(['run', '--group', 'demo', '--live', '--', 'for i in 1 2 3; do echo tick$i; sleep 0.7; done'], cs.env);
    // Seen before the CLI exits: only a stream can show output of a running command.
    await waitFor('the first live line', () => /\[demo-1\] tick1/.test(run.stderr()), 30_000, 50);
    expect(run.child.exitCode).toBeNull();
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['demo-1', 'demo-2']) {
      const ticks = r.stderr.split('\n').filter((l) => l.startsWith(`[${name}] tick`));
      expect(ticks).toEqual([`[${name}] tick1`, `[${name}] tick2`, `[${name}] tick3`]);
      expect(r.stdout).toMatch(new RegExp(`^${name}\\s+succeeded\\s+0`, 'm'));
    }
    expect(r.stdout).toMatch(/batch [0-9a-f-]{36} succeeded: succeeded 2/);
  });

  it('batches watch prints every device change in order, then the outcome, and exits 1 when devices failed', async () => {
    // The commands wait for a file the test writes once watch is connected, so every change happens live.
    const go = path.join(mkdtempSync(path.join(tmpdir(), 'flotilla-watch-')), 'go');
    const batchId = await startBatch(`while [ ! -f ${go} ]; do sleep 0.1; done; echo out; exit 4`);
    const watch = startCli(['batches', 'watch', batchId, '--output'], cs.env);
    await waitFor('watch to connect', () => watch.stderr().includes(`watching batch ${batchId}: 2 device(s)`), 30_000, 50);
    writeFileSync(go, '');
    const r = await watch.done;
    expect(r.code, r.stderr).toBe(1);
    for (const name of ['demo-1', 'demo-2']) {
      const changes = r.stdout.split('\n').filter((l) => new RegExp(`^\\S+  ${name}  `).test(l)).map((l) => l.split('  ')[2]);
      expect(changes[changes.length - 1], r.stdout).toBe('running -> failed (exit 4)');
      for (let i = 1; i < changes.length; i++) expect(changes[i]!.split(' -> ')[0]).toBe(changes[i - 1]!.split(' -> ')[1]);
      expect(r.stdout).toContain(`[${name}] out`);
    }
    expect(r.stdout).toContain(`batch ${batchId} failed: failed 2`);
  });

  it('batches export writes CSV to stdout and JSON to a file; a bad format is a usage error', async () => {
    const run = await cli('run', '--group', 'demo', '--', 'echo "a,b"');
    expect(run.code, run.stderr).toBe(0);
    const batchId = batchIdFrom(run.stderr);
    const csv = await cli('batches', 'export', batchId);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((x) => [x.deviceName, x.status, x.stdout])).toEqual([
      ['demo-1', 'succeeded', 'a,b\n'],
      ['demo-2', 'succeeded', 'a,b\n'],
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'flotilla-export-')), 'out.json');
    const json = await cli('batches', 'export', batchId, '--format', 'json', '--output', file);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Array<{ stdout: string }>).map((x) => x.stdout)).toEqual(['a,b\n', 'a,b\n']);
    const bad = await cli('batches', 'export', batchId, '--format', 'xml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of csv, json, ndjson');
  });
});
