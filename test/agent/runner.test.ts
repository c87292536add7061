import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCommand } from '../../src/agent/runner';
import { fitResult } from '../../src/agent/fit-result';
import { OUTPUT_CAP_BYTES } from '../../src/protocol/constants';
import type { CommandAction } from '../../src/protocol/v1/action';
import { waitFor } from '../helpers/ports';

const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sh = (command: string, extra: Partial<CommandAction> = {}): CommandAction => ({ type: 'command', shell: 'sh', timeoutSec: 30, command, ...extra });

/** Dead, or a zombie nobody has reaped yet (no init reaper in some containers). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

describe('runner', () => {
  it('reports success with output, env and cwd', async () => {
    let started: string | undefined;
    const run = startCommand(sh('echo "out $GREETING"; pwd; echo err >&2', { env: { GREETING: 'hi' }, cwd: dir }), {
      onStarted: (at) => (started = at),
    });
    const r = await run.result;
    expect(r).toMatchObject({ status: 'succeeded', exitCode: 0, stderr: 'err\n', truncated: false, error: null });
    expect(r.stdout).toBe(`out hi\n${dir}\n`);
    expect(started).toBe(r.startedAt);
    expect(Date.parse(r.completedAt)).toBeGreaterThanOrEqual(Date.parse(r.startedAt!));
  });

  it('reports failure with the exit code', async () => {
    const r = await startCommand(sh('echo nope; exit 7')).result;
    expect(r).toMatchObject({ status: 'failed', exitCode: 7, stdout: 'nope\n' });
  });

  it('runs bash when asked', async () => {
    const r = await startCommand({ type: 'command', shell: 'bash', timeoutSec: 10, command: 'echo "${BASH_VERSION:+bash}"' }).result;
    expect(r).toMatchObject({ status: 'succeeded', stdout: 'bash\n' });
  });

  it('fails clearly for a shell that is not installed and for a missing cwd', async () => {
    const cmd = await startCommand({ type: 'command', shell: 'cmd', timeoutSec: 10, command: 'dir' }).result;
    expect(cmd).toMatchObject({ status: 'failed', exitCode: null, startedAt: null });
    expect(cmd.error).toMatch(/shell "cmd" is not available/);
    const cwd = await startCommand(sh('true', { cwd: path.join(dir, 'missing') })).result;
    expect(cwd.status).toBe('failed');
    expect(cwd.error).toMatch(/working directory does not exist/);
  });

  it('kills the whole process group at the timeout, grandchildren included', async () => {
    const pidFile = path.join(dir, 'grandchild.pid');
    const began = Date.now();
    const r = await startCommand(sh(`sleep 30 & echo $! > ${pidFile}; sleep 30`, { timeoutSec: 1 })).result;
    expect(r.status).toBe('timed_out');
    expect(r.error).toMatch(/timed out after 1s/);
    expect(Date.now() - began).toBeLessThan(6_000);
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    await waitFor('grandchild to die', () => isGone(grandchild), 5_000, 50);
  });

  it('escalates to SIGKILL when the command ignores SIGTERM', async () => {
    const r = await startCommand(sh("trap '' TERM; while true; do sleep 0.1; done", { timeoutSec: 1 }), { killGraceMs: 300 }).result;
    expect(r.status).toBe('timed_out');
  });

  it('cancel kills the running command', async () => {
    const marker = path.join(dir, 'after-cancel');
    const run = startCommand(sh(`sleep 20; touch ${marker}`));
    await new Promise((r) => setTimeout(r, 200));
    run.cancel();
    const r = await run.result;
    expect(r).toMatchObject({ status: 'cancelled', error: 'cancelled' });
    expect(existsSync(marker)).toBe(false);
  });

  it('caps each output at OUTPUT_CAP_BYTES with bounded memory while a command writes 100 MiB', async () => {
    const before = process.memoryUsage().rss;
    const r = await startCommand(sh("head -c 104857600 /dev/zero | tr '\\0' 'a'; echo tail >&2")).result;
    const grown = process.memoryUsage().rss - before;
    expect(r.status).toBe('succeeded');
    expect(r.truncated).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBe(OUTPUT_CAP_BYTES);
    expect(r.stderr).toBe('tail\n');
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });

  it('strips NUL characters from output', async () => {
    const r = await startCommand(sh("printf 'a\\000b'")).result;
    expect(r.stdout).toBe('ab');
  });

  it('shortens results whose JSON would not fit a frame', () => {
    const control = '\u0001'.repeat(OUTPUT_CAP_BYTES);
    const base = { status: 'succeeded' as const, exitCode: 0, truncated: false, startedAt: null, completedAt: new Date().toISOString(), error: null };
    const fitted = fitResult({ ...base, stdout: control, stderr: control }, 8 * 1024 * 1024);
    expect(fitted.truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThan(8 * 1024 * 1024);
    expect(fitted.stdout.length + fitted.stderr.length).toBeGreaterThan(OUTPUT_CAP_BYTES / 2);
    const small = { ...base, stdout: 'x', stderr: '' };
    expect(fitResult(small)).toBe(small);
  });
});
