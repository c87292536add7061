// /v1/files and batches with steps through the API: uploads (multipart and raw) streamed into
// PostgreSQL with their sha256, the size limit (413, nothing stored), reads, deletes, and batch
// validation of steps and file ids (400, nothing written or started).
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_CHUNK_BYTES } from '../../src/db/queries/files';
import { fileChunks, files } from '../../src/db/schema';
import { addDevice, command, unique } from './batch-fixtures';
import { startHarness, type Harness, type Loose } from './harness';
import { bearerOf, createUser } from './users-fixtures';

const MAX_FILE = 1024 * 1024;
let h: Harness;
beforeAll(async () => {
  // The JSON body limit (256 KiB in the harness) is below the file limit: uploads must not be cut by it.
  h = await startHarness({ FLOTILLA_MAX_FILE_BYTES: String(MAX_FILE) });
});
afterAll(async () => {
  await h.close();
});

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function uploadRaw(content: Buffer, name = 'blob.bin'): Promise<{ status: number; body: Loose }> {
  const r = await h.app.request(`/v1/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/octet-stream' },
    body: content,
  });
  return { status: r.status, body: await r.json() };
}

async function uploadMultipart(content: Buffer, filename: string): Promise<{ status: number; body: Loose }> {
  const form = new FormData();
  form.append('note', 'ignored');
  form.append('file', new Blob([content]), filename);
  const r = await h.app.request('/v1/files', { method: 'POST', headers: { authorization: 'Bearer test-admin-token-0123456789' }, body: form });
  return { status: r.status, body: await r.json() };
}

const fileCount = async (): Promise<number> => h.db.handle.orm.$count(files);

describe('POST /v1/files', () => {
  it('stores a raw body larger than the JSON body limit in 256 KiB chunks with its sha256', async () => {
    const content = randomBytes(600 * 1024);
    const res = await uploadRaw(content, 'app.tar');
    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({ name: 'app.tar', size: content.length, sha256: sha256(content) });
    const chunks = await h.db.handle.orm.select().from(fileChunks).where(eq(fileChunks.fileId, res.body.file.id)).orderBy(fileChunks.idx);
    expect(chunks.map((c) => c.data.length)).toEqual([FILE_CHUNK_BYTES, FILE_CHUNK_BYTES, content.length - 2 * FILE_CHUNK_BYTES]);
    expect(Buffer.concat(chunks.map((c) => c.data)).equals(content)).toBe(true);
  });

  it('stores the `file` field of a multipart form under its filename', async () => {
    const content = Buffer.from('listen 8080\n');
    const res = await uploadMultipart(content, 'nginx.conf');
    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({ name: 'nginx.conf', size: content.length, sha256: sha256(content) });
  });

  it('stores an empty file', async () => {
    const res = await uploadRaw(Buffer.alloc(0), 'empty');
    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({ size: 0, sha256: sha256(Buffer.alloc(0)) });
  });

  it('answers 413 beyond FLOTILLA_MAX_FILE_BYTES and stores nothing, raw or multipart', async () => {
    const before = await fileCount();
    const big = randomBytes(MAX_FILE + 1);
    const raw = await uploadRaw(big);
    expect(raw.status).toBe(413);
    expect(raw.body.error).toMatchObject({ code: 'payload_too_large', details: { maxBytes: MAX_FILE } });
    expect((await uploadMultipart(big, 'big.bin')).status).toBe(413);
    expect(await fileCount()).toBe(before);
    expect(await h.db.handle.orm.$count(fileChunks, eq(fileChunks.idx, 4))).toBe(0);
  });

  it('refuses a raw body without a name, a form without a file field, and other content types', async () => {
    const before = await fileCount();
    const noName = await h.app.request('/v1/files', {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/octet-stream' },
      body: Buffer.from('x'),
    });
    expect(noName.status).toBe(400);
    const form = new FormData();
    form.append('other', 'x');
    const noFile = await h.app.request('/v1/files', { method: 'POST', headers: { authorization: 'Bearer test-admin-token-0123456789' }, body: form });
    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as Loose).error.code).toBe('missing_file');
    const json = await h.json('POST', '/v1/files?name=x', { a: 1 });
    expect(json.status).toBe(415);
    expect(await fileCount()).toBe(before);
  });
});

describe('reading and deleting files', () => {
  it('lists newest first with a cursor, reads metadata, deletes with its chunks, then 404', async () => {
    const a = (await uploadRaw(Buffer.from('a'), unique('a'))).body.file;
    const b = (await uploadRaw(Buffer.from('b'), unique('b'))).body.file;
    const first = await h.json('GET', '/v1/files?limit=1');
    expect(first.body.items.map((f: Loose) => f.id)).toEqual([b.id]);
    const second = await h.json('GET', `/v1/files?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((f: Loose) => f.id)).toEqual([a.id]);
    expect((await h.json('GET', `/v1/files/${a.id}`)).body.file).toEqual(a);
    expect((await h.call('DELETE', `/v1/files/${a.id}`)).status).toBe(204);
    expect(await h.db.handle.orm.$count(fileChunks, eq(fileChunks.fileId, a.id))).toBe(0);
    const gone = await h.json('GET', `/v1/files/${a.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    expect((await h.call('DELETE', `/v1/files/${a.id}`)).status).toBe(404);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await h.json('GET', '/v1/openapi.json');
    expect(Object.keys(doc.body.paths['/v1/files'].post.requestBody.content).sort()).toEqual(['application/octet-stream', 'multipart/form-data']);
    expect(doc.body.paths['/v1/files/{id}'].delete).toBeDefined();
  });
});

describe('batches with steps', () => {
  it('stores and shows steps (env redacted), stepMode and a single action as one step', async () => {
    const device = await addDevice(h, unique('steps'));
    const file = (await uploadRaw(Buffer.from('cfg'), 'cfg')).body.file;
    const steps = [
      command('echo one', { continueOnError: true, env: { TOKEN: 'hidden-value' } }),
      { type: 'script', interpreter: 'python3', body: 'print(1)', args: ['x'] },
      { type: 'file', fileId: file.id, path: '/etc/app.conf', mode: '0640', createDirs: true },
    ];
    const res = await h.json('POST', '/v1/batches', { targets: { deviceIds: [device] }, steps, stepMode: 'parallel' });
    expect(res.status).toBe(201);
    const shown = (await h.json('GET', `/v1/batches/${res.body.batchId}`)).body.batch;
    expect(JSON.stringify(shown)).not.toContain('hidden-value');
    expect(shown.stepMode).toBe('parallel');
    expect(shown.action).toBeUndefined();
    expect(shown.steps).toEqual([
      { type: 'command', command: 'echo one', shell: 'sh', timeoutSec: 30, continueOnError: true, env: { TOKEN: '***' } },
      { type: 'script', interpreter: 'python3', body: 'print(1)', args: ['x'], timeoutSec: 300 },
      { type: 'file', fileId: file.id, path: '/etc/app.conf', mode: '0640', createDirs: true, timeoutSec: 300 },
    ]);
    const single = await h.json('POST', '/v1/batches', { targets: { deviceIds: [device] }, action: command('uptime') });
    const one = (await h.json('GET', `/v1/batches/${single.body.batchId}`)).body.batch;
    expect(one.steps).toEqual([one.action]);
    expect(one.stepMode).toBe('sequential');
  });

  it.each([
    ['both action and steps', () => ({ action: command('x'), steps: [command('y')] }), 'body.action'],
    ['neither action nor steps', () => ({}), 'body.action'],
    ['stepMode without steps', () => ({ action: command('x'), stepMode: 'parallel' }), 'body.stepMode'],
    ['no steps', () => ({ steps: [] }), 'body.steps'],
    ['21 steps', () => ({ steps: Array.from({ length: 21 }, () => command('x')) }), 'body.steps'],
    ['a relative file path', (f: string) => ({ steps: [{ type: 'file', fileId: f, path: 'etc/x' }] }), 'body.steps.0.path'],
    ['a bad mode', (f: string) => ({ steps: [{ type: 'file', fileId: f, path: '/x', mode: 'rwx' }] }), 'body.steps.0.mode'],
    ['an unknown interpreter', () => ({ steps: [{ type: 'script', interpreter: 'perl', body: 'x' }] }), 'body.steps.0.interpreter'],
    ['an empty script', () => ({ steps: [{ type: 'script', interpreter: 'sh', body: '' }] }), 'body.steps.0.body'],
    ['an unknown stepMode', () => ({ steps: [command('x')], stepMode: 'random' }), 'body.stepMode'],
  ])('answers 400 for %s, writing nothing', async (_name, make: (fileId: string) => Record<string, unknown>, field) => {
    const device = await addDevice(h, unique('bad'));
    const file = (await uploadRaw(Buffer.from('x'), 'x')).body.file;
    const before = await h.counts();
    const res = await h.json('POST', '/v1/batches', { targets: { deviceIds: [device] }, ...make(file.id) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain(field);
    expect(await h.counts()).toEqual(before);
  });

  it('answers 400 unknown_files for a file step naming no stored file, starting nothing', async () => {
    const device = await addDevice(h, unique('nofile'));
    const before = await h.counts();
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await h.json('POST', '/v1/batches', { targets: { deviceIds: [device] }, steps: [{ type: 'file', fileId: missing, path: '/tmp/x' }] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'unknown_files', details: { fileIds: [missing] } });
    expect(await h.counts()).toEqual(before);
  });

  it("answers 400 unknown_files for an operator's batch pushing another owner's file, like a missing one", async () => {
    const alice = await createUser(h, unique('alice'), 'operator');
    const bob = await createUser(h, unique('bob'), 'operator');
    const upload = await h.app.request('/v1/files?name=secret.conf', {
      method: 'POST',
      headers: { ...bearerOf(alice), 'content-type': 'application/octet-stream' },
      body: Buffer.from('alice only'),
    });
    const aliceFile = ((await upload.json()) as Loose).file.id as string;
    const bobDevice = (await h.json('POST', '/v1/devices', { name: unique('bobdev') }, bearerOf(bob))).body.device.id as string;
    const before = await h.counts();
    const res = await h.json('POST', '/v1/batches', { targets: { deviceIds: [bobDevice] }, steps: [{ type: 'file', fileId: aliceFile, path: '/tmp/x' }] }, bearerOf(bob));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'unknown_files', details: { fileIds: [aliceFile] } });
    expect(await h.counts()).toEqual(before);
  });
});
