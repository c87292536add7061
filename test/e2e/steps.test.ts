// Steps, scripts and file pushes on real processes: API -> Temporal -> worker -> gateway -> agents,
// which run the steps, pull files chunk by chunk and write them atomically; results per step in the API.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fileChunks } from '../../src/db/schema';
import { executionsOf, startCluster, type Cluster, type Device } from '../helpers/cluster';
import { peakOverlap } from '../helpers/overlap';

interface Step {
  index: number;
  type: string;
  status: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  error: string | null;
  startedAt: string | null;
  completedAt: string | null;
  bytes: number | null;
  sha256: string | null;
}
interface Execution {
  status: string;
  exitCode: number | null;
  error: string | null;
  stdout: string;
  steps: Step[];
}

let c: Cluster;
let open: Device;
let guarded: Device;
let work: string;
let allowed: string;

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
  const tag = `steps-${randomUUID().slice(0, 6)}`;
  work = path.join(c.tmp, 'work');
  allowed = path.join(c.tmp, 'allowed');
  mkdirSync(work, { recursive: true });
  mkdirSync(allowed, { recursive: true });
  open = await c.addDevice(`${tag}-open`);
  guarded = await c.addDevice(`${tag}-guarded`);
  await Promise.all([
    c.startAgent(open),
    c.startAgent(guarded, undefined, ['--allow-command', 'echo [a-z ]+', '--allow-command', 'cat .*', '--allow-file-dir', allowed]),
  ]);
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

const sh = (command: string, extra: Record<string, unknown> = {}) => ({ type: 'command', command, shell: 'sh', timeoutSec: 30, ...extra });
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function upload(content: Buffer, name: string): Promise<{ id: string; sha256: string; size: number }> {
  const res = await fetch(`${c.apiUrl}/v1/files?name=${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.adminToken}`, 'content-type': 'application/octet-stream' },
    body: content,
  });
  const body = (await res.json()) as { file: { id: string; sha256: string; size: number } };
  expect(res.status).toBe(201);
  return body.file;
}

/** Runs the steps on one device, waits for the batch, answers that device's execution with its steps. */
async function run(device: Device, steps: unknown[], stepMode?: string): Promise<Execution> {
  const batchId = await c.startBatch({ targets: { deviceIds: [device.id] }, steps, ...(stepMode ? { stepMode } : {}) });
  await c.waitForBatch(batchId);
  const res = await c.http<Execution>('GET', `/v1/batches/${batchId}/executions/${device.id}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('steps', () => {
  it('stop at a failing step: later steps are skipped and never run on the device', async () => {
    const marker = path.join(work, `after-${randomUUID()}`);
    const e = await run(open, [sh('echo one'), sh('echo broken >&2; exit 3'), sh(`touch ${marker}`)]);
    expect(e).toMatchObject({ status: 'failed', exitCode: 3, error: 'step 2: exit code 3' });
    expect(e.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'skipped']);
    expect(e.steps[0]?.stdout).toBe('one\n');
    expect(e.steps[1]).toMatchObject({ exitCode: 3, stderr: 'broken\n' });
    expect(e.steps[2]).toMatchObject({ startedAt: null, completedAt: null });
    expect(existsSync(marker)).toBe(false);
  });

  it('go on past a failing step that says continueOnError, and the device succeeds', async () => {
    const e = await run(open, [sh('exit 4', { continueOnError: true }), sh('echo after')]);
    expect(e).toMatchObject({ status: 'succeeded', exitCode: 0, error: null });
    expect(e.steps.map((s) => [s.status, s.exitCode])).toEqual([
      ['failed', 4],
      ['succeeded', 0],
    ]);
    expect(e.steps[1]?.stdout).toBe('after\n');
  });

  it('run at once with stepMode parallel (agent-side timestamps overlap)', async () => {
    const e = await run(open, [sh('sleep 1'), sh('sleep 1'), sh('sleep 1')], 'parallel');
    expect(e.status).toBe('succeeded');
    const spans = e.steps.map((s) => ({ start: Date.parse(s.startedAt as string), end: Date.parse(s.completedAt as string) }));
    expect(peakOverlap(spans)).toBe(3);
    // Sequential steps, for contrast, never overlap.
    const seq = await run(open, [sh('sleep 0.3'), sh('sleep 0.3')]);
    expect(peakOverlap(seq.steps.map((s) => ({ start: Date.parse(s.startedAt as string), end: Date.parse(s.completedAt as string) })))).toBe(1);
  });

  it('a lone step keeps the execution output, and lists show step previews', async () => {
    const batchId = await c.startBatch({ targets: { deviceIds: [open.id] }, steps: [sh("head -c 10000 /dev/zero | tr '\\0' 'y'")] });
    await c.waitForBatch(batchId);
    const [listed] = (await executionsOf(c, batchId)) as unknown as Array<Execution & { outputCut: boolean }>;
    expect(listed?.stdout).toHaveLength(4096);
    expect(listed?.steps[0]?.stdout).toHaveLength(4096);
    expect(listed?.outputCut).toBe(true);
    const full = (await c.http<Execution>('GET', `/v1/batches/${batchId}/executions/${open.id}`)).body;
    expect(full.stdout).toHaveLength(10000);
    expect(full.steps[0]?.stdout).toHaveLength(10000);
  });
});

describe('scripts', () => {
  it('land in a private temp file, run with args and env, and are removed', async () => {
    const body = ['#!/bin/sh', 'echo "args:$1|$2"', 'echo "env:$GREETING"', 'echo "path:$0"', "stat -c 'mode:%a' \"$0\"", "stat -c 'dir:%a' \"$(dirname \"$0\")\""].join('\n');
    const e = await run(open, [{ type: 'script', interpreter: 'sh', body, args: ['one', 'two words'], env: { GREETING: 'hi' } }]);
    expect(e.status).toBe('succeeded');
    const out = e.steps[0]?.stdout ?? '';
    expect(out).toContain('args:one|two words\n');
    expect(out).toContain('env:hi\n');
    expect(out).toContain('mode:700\n');
    expect(out).toContain('dir:700\n');
    const scriptPath = /path:(.*)\n/.exec(out)?.[1] as string;
    expect(existsSync(scriptPath)).toBe(false);
    expect(existsSync(path.dirname(scriptPath))).toBe(false);
  });

  it('run under python3 and node', async () => {
    const e = await run(open, [
      { type: 'script', interpreter: 'python3', body: 'import sys\nprint("py", sys.argv[1])\nsys.exit(int(sys.argv[2]))', args: ['ok', '0'] },
      { type: 'script', interpreter: 'node', body: 'console.log("node", process.argv[2]); process.exit(5)', args: ['x'] },
    ]);
    expect(e.steps.map((s) => [s.status, s.exitCode, s.stdout])).toEqual([
      ['succeeded', 0, 'py ok\n'],
      ['failed', 5, 'node x\n'],
    ]);
  });
});

describe('file pushes', () => {
  it('land with the right content, mode and hash, in a folder made by createDirs', async () => {
    const content = randomBytes(700 * 1024);
    const file = await upload(content, 'payload.bin');
    const target = path.join(work, `nested-${randomUUID()}`, 'deeper', 'payload.bin');
    const e = await run(open, [{ type: 'file', fileId: file.id, path: target, mode: '0640', createDirs: true }, sh(`sha256sum ${target}`)]);
    expect(e.status).toBe('succeeded');
    expect(e.steps[0]).toMatchObject({ type: 'file', status: 'succeeded', bytes: content.length, sha256: sha256(content) });
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(e.steps[1]?.stdout).toContain(sha256(content));
    // No temp file is left beside it.
    expect(readdirSync(path.dirname(target))).toEqual(['payload.bin']);
  });

  it('replace an existing file atomically, default mode 0644', async () => {
    const target = path.join(work, `replace-${randomUUID()}.conf`);
    await run(open, [sh(`echo old > ${target}`)]);
    const file = await upload(Buffer.from('new\n'), 'new.conf');
    const e = await run(open, [{ type: 'file', fileId: file.id, path: target }]);
    expect(e.status).toBe('succeeded');
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  it('fail with a clear error when the folder is missing and createDirs is not set', async () => {
    const file = await upload(Buffer.from('x'), 'x');
    const dir = path.join(work, `missing-${randomUUID()}`);
    const e = await run(open, [{ type: 'file', fileId: file.id, path: path.join(dir, 'x') }]);
    expect(e).toMatchObject({ status: 'failed', exitCode: null });
    expect(e.steps[0]?.error).toBe(`directory ${dir} does not exist (set createDirs to create it)`);
    expect(existsSync(dir)).toBe(false);
  });

  it('fail on a corrupted chunk with a hash mismatch, and no file appears at the path', async () => {
    const content = randomBytes(600 * 1024);
    const file = await upload(content, 'corrupt.bin');
    // Flip the first byte of the middle chunk as stored.
    await c.db.handle.orm
      .update(fileChunks)
      .set({ data: sql`set_byte(${fileChunks.data}, 0, (get_byte(${fileChunks.data}, 0) + 1) % 256)` })
      .where(and(eq(fileChunks.fileId, file.id), eq(fileChunks.idx, 1)));
    const dir = path.join(work, `corrupt-${randomUUID()}`);
    mkdirSync(dir);
    const target = path.join(dir, 'corrupt.bin');
    const e = await run(open, [{ type: 'file', fileId: file.id, path: target }]);
    expect(e.status).toBe('failed');
    expect(e.steps[0]?.error).toMatch(new RegExp(`^sha256 mismatch: received [0-9a-f]{64}, the upload has ${file.sha256}$`));
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('agent safety options', () => {
  it('run allowed commands and refuse others as failed steps with the reason; nothing runs', async () => {
    const marker = path.join(work, `refused-${randomUUID()}`);
    const e = await run(guarded, [sh('echo allowed'), sh(`touch ${marker}`, { continueOnError: true }), sh('echo still fine')]);
    expect(e.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(e.steps[1]?.error).toBe('refused by agent policy: the command matches no allowed pattern');
    expect(existsSync(marker)).toBe(false);
    // A pattern must match the whole command: a prefix is not enough.
    const chained = await run(guarded, [sh(`echo ok; touch ${marker}`)]);
    expect(chained).toMatchObject({ status: 'failed', error: 'refused by agent policy: the command matches no allowed pattern' });
    const script = await run(guarded, [{ type: 'script', interpreter: 'sh', body: `touch ${marker}` }]);
    expect(script.error).toBe('refused by agent policy: the script body matches no allowed pattern');
    expect(existsSync(marker)).toBe(false);
  });

  it('push files inside the allowed folders only, after resolving .. and symlinks', async () => {
    const file = await upload(Buffer.from('guarded\n'), 'g');
    const inside = path.join(allowed, `in-${randomUUID()}`);
    const ok = await run(guarded, [{ type: 'file', fileId: file.id, path: inside }, sh(`cat ${inside}`)]);
    expect(ok.status).toBe('succeeded');
    expect(ok.steps[1]?.stdout).toBe('guarded\n');

    const escapes = [
      path.join(work, `out-${randomUUID()}`),
      `${allowed}/../${path.basename(work)}/dots-${randomUUID()}`,
      path.join(allowed, `link-${randomUUID()}`, 'via-link'),
    ];
    symlinkSync(work, path.dirname(escapes[2] as string));
    for (const target of escapes) {
      const e = await run(guarded, [{ type: 'file', fileId: file.id, path: target }]);
      expect(e.status).toBe('failed');
      expect(e.steps[0]?.error).toBe(`refused by agent policy: ${target} is outside the allowed folders (${allowed})`);
    }
    expect(readdirSync(work).filter((f) => f.startsWith('out-') || f.startsWith('dots-') || f === 'via-link')).toEqual([]);
  });
});
