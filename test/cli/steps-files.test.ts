// `flotilla run --steps FILE` and `flotilla files push|list|delete`: the real CLI process against a real
// stack (API, worker, gateway, two demo agents running real commands and writing real files).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batches, files } from '../../src/db/schema';
import { startCliStack, type CliStack } from './cli-stack';
import { runCli } from './run-cli';

let cs: CliStack;
let env: Record<string, string>;
let dir: string;

const cli = (...args: string[]) => runCli(args, env);
const batchIdFrom = (stderr: string): string => /batch ([0-9a-f-]{36}) started/.exec(stderr)?.[1] ?? '';
const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** Writes a steps file in the test's folder and answers its path. */
function stepsFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

beforeAll(async () => {
  cs = await startCliStack(inject('temporalAddress'), 'cli-steps');
  env = cs.env;
  dir = mkdtempSync(path.join(tmpdir(), 'flotilla-cli-steps-'));
}, 180_000);

afterAll(async () => {
  await cs?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('flotilla run --steps', () => {
  it('a failing step with continueOnError leaves the device succeeded; the summary shows each step', async () => {
    const file = stepsFile('tolerant.json', [
      { type: 'command', command: 'echo first-step' },
      { type: 'command', command: 'echo tolerated >&2; exit 4', continueOnError: true },
      { type: 'script', interpreter: 'sh', body: 'echo third-step' },
    ]);
    const r = await cli('run', '--group', 'demo', '--steps', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^DEVICE\s+STEP\s+TYPE\s+STATUS\s+EXIT\s+DURATION\s+OUTPUT$/m);
    for (const name of ['demo-1', 'demo-2']) {
      expect(r.stdout).toMatch(new RegExp(`^${name}\\s+succeeded\\s+0\\s`, 'm'));
      expect(r.stdout).toMatch(new RegExp(`^${name}\\s+1\\s+command\\s+succeeded\\s+0\\s+\\S+\\s+first-step$`, 'm'));
      expect(r.stdout).toMatch(new RegExp(`^${name}\\s+2\\s+command\\s+failed\\s+4\\s+\\S+\\s+tolerated$`, 'm'));
      expect(r.stdout).toMatch(new RegExp(`^${name}\\s+3\\s+script\\s+succeeded\\s+0\\s+\\S+\\s+third-step$`, 'm'));
    }
    expect(r.stdout).toMatch(/batch [0-9a-f-]{36} succeeded: succeeded 2/);
  });

  it('a failing step without continueOnError fails the device and skips the rest; exit 1', async () => {
    const file = stepsFile('strict.json', { stepMode: 'sequential', steps: [{ type: 'command', command: 'exit 5' }, { type: 'command', command: 'echo never' }] });
    const r = await cli('run', '--group', 'demo', '--steps', file, '--json');
    expect(r.code, r.stderr).toBe(1);
    const body = JSON.parse(r.stdout) as { batch: { status: string; stepMode: string }; executions: Array<{ status: string; exitCode: number; steps: Array<{ status: string }> }> };
    expect(body.batch).toMatchObject({ status: 'failed', stepMode: 'sequential' });
    expect(body.executions).toHaveLength(2);
    for (const e of body.executions) {
      expect(e).toMatchObject({ status: 'failed', exitCode: 5 });
      expect(e.steps.map((s) => s.status)).toEqual(['failed', 'skipped']);
    }
  });

  it('batches show and list describe a multi-step batch', async () => {
    const file = stepsFile('parallel.json', { stepMode: 'parallel', steps: [{ type: 'command', command: 'echo left' }, { type: 'command', command: 'echo right' }] });
    const run = await cli('run', '--group', 'demo', '--steps', file);
    expect(run.code, run.stderr).toBe(0);
    const batchId = batchIdFrom(run.stderr);

    const show = await cli('batches', 'show', batchId);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('work      2 steps: echo left; … (parallel)');
    expect(show.stdout).toMatch(/^demo-1\s+succeeded\s+0/m);
    expect(show.stdout).toMatch(/^demo-1\s+1\s+command\s+succeeded\s+0\s+\S+\s+left$/m);
    expect(show.stdout).toMatch(/^demo-2\s+2\s+command\s+succeeded\s+0\s+\S+\s+right$/m);

    const list = await cli('batches', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+STATUS\s+TARGETS\s+CREATED\s+WORK$/m);
    expect(list.stdout).toMatch(new RegExp(`^${batchId}\\s+succeeded\\s+2\\s+\\S+\\s+2 steps: echo left; …$`, 'm'));
  });

  it('refuses a bad steps file, or steps with a command, before any request (exit 2)', async () => {
    const batchCount = async () => (await cs.stack.db.orm.select({ id: batches.id }).from(batches)).length;
    const before = await batchCount();
    const good = stepsFile('good.json', [{ type: 'command', command: 'true' }]);

    const both = await cli('run', '--group', 'demo', '--steps', good, '--', 'true');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --steps FILE or a command after --, not both');

    const withShell = await cli('run', '--group', 'demo', '--steps', good, '--shell', 'bash');
    expect(withShell.code).toBe(2);
    expect(withShell.stderr).toContain('set shell and timeoutSec in each step');

    const notJson = await cli('run', '--group', 'demo', '--steps', stepsFile('broken.json', '[{'));
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('broken.json is not valid JSON');

    const badStep = await cli('run', '--group', 'demo', '--steps', stepsFile('bad.json', [{ type: 'command', command: 'true' }, { type: 'file', path: 'relative' }]));
    expect(badStep.code).toBe(2);
    expect(badStep.stderr).toMatch(/bad\.json holds no valid steps: .*1\.fileId/);

    const missing = await cli('run', '--group', 'demo', '--steps', path.join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');

    expect(await batchCount()).toBe(before);
  });
});

describe('flotilla files', () => {
  it('push uploads a file that a file step then writes on a device with the same sha256', async () => {
    const content = Buffer.concat([Buffer.from('#!/bin/sh\necho pushed\n'), Buffer.alloc(300 * 1024, 7)]);
    const local = path.join(dir, 'payload.bin');
    writeFileSync(local, content);

    const pushed = await cli('files', 'push', local, '--json');
    expect(pushed.code, pushed.stderr).toBe(0);
    const file = JSON.parse(pushed.stdout) as { id: string; name: string; size: number; sha256: string };
    expect(file).toMatchObject({ name: 'payload.bin', size: content.length, sha256: sha256(content) });

    const text = await cli('files', 'push', local, '--name', 'renamed.bin');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^file\s+[0-9a-f-]{36}$/m);
    expect(text.stdout).toMatch(/^name\s+renamed\.bin$/m);
    expect(text.stdout).toMatch(new RegExp(`^size\\s+${content.length}$`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^sha256\\s+${sha256(content)}$`, 'm'));

    const target = path.join(dir, 'device', 'payload.bin');
    const steps = stepsFile('push.json', [
      { type: 'file', fileId: file.id, path: target, mode: '0750', createDirs: true },
      { type: 'command', command: `sha256sum ${target}` },
    ]);
    const r = await cli('run', '--device', cs.stack.demoDeviceIds[0]!, '--steps', steps);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^demo-\\d\\s+1\\s+file\\s+succeeded\\s+-\\s+\\S+\\s+sha256 ${sha256(content).slice(0, 12)}… ${content.length} bytes$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^demo-\\d\\s+2\\s+command\\s+succeeded\\s+0\\s+\\S+\\s+${sha256(content).slice(0, 40)}`, 'm'));
    expect(sha256(readFileSync(target))).toBe(sha256(content));
    expect(statSync(target).mode & 0o777).toBe(0o750);
  });

  it('lists and deletes files; a deleted file is gone', async () => {
    const local = path.join(dir, 'short-lived.txt');
    writeFileSync(local, 'short lived\n');
    const pushed = await cli('files', 'push', local, '--json');
    expect(pushed.code, pushed.stderr).toBe(0);
    const { id } = JSON.parse(pushed.stdout) as { id: string };

    const list = await cli('files', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+SIZE\s+SHA256\s+CREATED$/m);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+short-lived\\.txt\\s+12\\s+${sha256('short lived\n')}\\s`, 'm'));

    const deleted = await cli('files', 'delete', id);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`file ${id} deleted`);
    const after = await cli('files', 'list', '--json');
    expect((JSON.parse(after.stdout) as Array<{ id: string }>).map((f) => f.id)).not.toContain(id);
    const again = await cli('files', 'delete', id);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('HTTP 404');
  });

  it('run --push uploads a file and writes it on the device before the command', async () => {
    const local = path.join(dir, 'app.conf');
    writeFileSync(local, 'setting=on\n');
    const target = path.join(dir, 'pushed-app.conf');
    const r = await cli('run', '--device', cs.stack.demoDeviceIds[1]!, '--push', `${local}:${target}:0600`, '--', 'cat', target);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`pushed ${local} as file [0-9a-f-]{36} \\(11 bytes, sha256 ${sha256('setting=on\n')}\\)`));
    expect(r.stdout).toMatch(/^demo-\d\s+1\s+file\s+succeeded\s+-\s+\S+\s+sha256 \S+ 11 bytes$/m);
    expect(r.stdout).toMatch(/^demo-\d\s+2\s+command\s+succeeded\s+0\s+\S+\s+setting=on$/m);
    expect(readFileSync(target, 'utf8')).toBe('setting=on\n');
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('run --push refuses a missing local file and parallel steps before uploading or starting anything', async () => {
    const count = async (table: typeof batches | typeof files) => (await cs.stack.db.orm.select({ id: table.id }).from(table)).length;
    const before = [await count(batches), await count(files)];
    const local = path.join(dir, 'exists.txt');
    writeFileSync(local, 'x');
    const missing = await cli('run', '--group', 'demo', '--push', `${local}:/tmp/a`, '--push', `${path.join(dir, 'absent')}:/tmp/b`, '--', 'true');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    const parallel = stepsFile('par.json', { stepMode: 'parallel', steps: [{ type: 'command', command: 'true' }] });
    const refused = await cli('run', '--group', 'demo', '--push', `${local}:/tmp/a`, '--steps', parallel);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('cannot be used with "stepMode": "parallel"');
    expect([await count(batches), await count(files)]).toEqual(before);
  });

  it('refuses to push what is not a readable file (exit 2)', async () => {
    const missing = await cli('files', 'push', path.join(dir, 'absent.bin'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    const folder = await cli('files', 'push', dir);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('is not a regular file');
    // The API refuses before reading the body: the streamed upload still reports its answer.
    const local = path.join(dir, 'refused.bin');
    writeFileSync(local, Buffer.alloc(4 * 1024 * 1024, 1));
    const refused = await runCli(['files', 'push', local], { ...env, FLOTILLA_TOKEN: 'not-the-admin-token' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('HTTP 401');
  });
});
