import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, RESTARTED_ERROR } from '../../src/agent/journal';
import type { CommandResult } from '../../src/agent/runner';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'flotilla-journal-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ok = (stdout: string): CommandResult => ({
  status: 'succeeded',
  exitCode: 0,
  stdout,
  stderr: '',
  truncated: false,
  startedAt: new Date().toISOString(),
  completedAt: new Date().toISOString(),
  error: null,
});

describe('journal', () => {
  it('turns a command that was running when the agent died into a failed result, never a rerun', () => {
    const dir = tempDir();
    const id = randomUUID();
    const first = new Journal(dir);
    first.started(id);
    // Simulate a crash: no result, no close.
    const second = new Journal(dir);
    const state = second.get(id);
    expect(state?.kind).toBe('finished');
    expect(state?.kind === 'finished' && state.result).toMatchObject({ status: 'failed', error: RESTARTED_ERROR });
    expect(second.running()).toEqual([]);
    expect(second.unacked().map((u) => u.executionId)).toEqual([id]);
    second.close();
    // The failure is durable: a third start still knows it, unchanged.
    const third = new Journal(dir);
    expect(third.get(id)).toEqual(second.get(id));
    third.close();
  });

  it('keeps results until acknowledged, across restarts', () => {
    const dir = tempDir();
    const [a, b] = [randomUUID(), randomUUID()];
    const j = new Journal(dir);
    j.started(a);
    j.finished(a, ok('A'));
    j.started(b);
    j.finished(b, ok('B'));
    j.acked(a);
    j.close();
    const again = new Journal(dir);
    expect(again.unacked().map((u) => u.executionId)).toEqual([b]);
    expect(again.get(a)).toMatchObject({ kind: 'finished', acked: true, result: { stdout: 'A' } });
    again.close();
  });

  it('ignores a torn last line', () => {
    const dir = tempDir();
    const id = randomUUID();
    const j = new Journal(dir);
    j.started(id);
    j.finished(id, ok('x'));
    j.close();
    writeFileSync(path.join(dir, 'journal.jsonl'), readFileSync(path.join(dir, 'journal.jsonl'), 'utf8') + '{"t":"resu');
    const again = new Journal(dir);
    expect(again.get(id)).toMatchObject({ kind: 'finished', result: { stdout: 'x' } });
    again.close();
  });

  it('compacts to the newest entries, never dropping running or unacknowledged ones', () => {
    const dir = tempDir();
    const j = new Journal(dir, { maxEntries: 5, keepOutputFor: 2 });
    const ids = Array.from({ length: 12 }, () => randomUUID());
    for (const id of ids) {
      j.started(id);
      j.finished(id, ok(`out-${id}`));
      j.acked(id);
    }
    const pending = randomUUID();
    j.started(pending);
    j.close();
    const again = new Journal(dir, { maxEntries: 5, keepOutputFor: 2 });
    const lines = readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').trim().split('\n');
    const kept = new Set(lines.map((l) => (JSON.parse(l) as { executionId: string }).executionId));
    expect(kept.size).toBeLessThanOrEqual(5);
    expect(kept.has(pending)).toBe(true);
    expect(kept.has(ids[11]!)).toBe(true);
    expect(again.get(ids[0]!)).toBeUndefined();
    // Newest acknowledged keep their output, older ones only their status.
    expect(again.get(ids[11]!)).toMatchObject({ result: { stdout: `out-${ids[11]}` } });
    expect(again.get(ids[8]!)).toMatchObject({ kind: 'finished', result: { status: 'succeeded', stdout: '' } });
    again.close();
  });
});
