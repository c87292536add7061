// GET /v1/batches/:id/export against the real API process: CSV, JSON and NDJSON content (escaping,
// nulls, order), and a 2,000-device export whose memory in the API process stays bounded.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batches, executions } from '../../src/db/schema';
import { seedBatch, seedDevices } from '../helpers/batches';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestNamespace } from '../helpers/namespace';
import { freePort } from '../helpers/ports';
import { READY, startProcess, type RunningProcess } from '../helpers/processes';

let t: TestDatabase;
let api: RunningProcess;
let apiUrl: string;
const token = `adm_${randomBytes(16).toString('hex')}`;
let small: { batchId: string; devices: Array<{ id: string; name: string }> };

const STRATEGY = { mode: 'parallel' as const, concurrency: 10, maxFailures: null };

async function finishedBatch(count: number, prefix: string): Promise<{ batchId: string; devices: Array<{ id: string; name: string }> }> {
  const devices = await seedDevices(t.handle.orm, count, { prefix });
  const b = await seedBatch(t.handle.orm, devices, { command: 'report', strategy: STRATEGY });
  // Finished, so the API's reconciler never tries to start it.
  await t.handle.orm.update(batches).set({ status: 'partial', completedAt: new Date() }).where(eq(batches.id, b.batchId));
  return { batchId: b.batchId, devices };
}

beforeAll(async () => {
  t = await createTestDatabase();
  small = await finishedBatch(3, `exp-${randomBytes(3).toString('hex')}`);
  const [e0, e1] = await t.handle.orm.select().from(executions).where(eq(executions.batchId, small.batchId)).orderBy(executions.seq);
  const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s));
  await t.handle.orm
    .update(executions)
    .set({ status: 'succeeded', exitCode: 0, stdout: 'hello, "world"\nline2 é€\n', stderr: '', startedAt: at(0), completedAt: at(2) })
    .where(eq(executions.id, e0!.id));
  await t.handle.orm
    .update(executions)
    .set({ status: 'failed', exitCode: 3, stdout: '', stderr: 'bad;\r\nthing', error: 'exit 3', startedAt: at(1), completedAt: at(1) })
    .where(eq(executions.id, e1!.id));
  await t.handle.orm.update(executions).set({ status: 'skipped' }).where(sql`${executions.batchId} = ${small.batchId} and ${executions.seq} = 2`);

  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  api = startProcess('api', 'src/main/api.ts', {
    DATABASE_URL: t.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: await createTestNamespace(inject('temporalAddress'), 'export'),
    FLOTILLA_ADMIN_TOKEN: token,
    FLOTILLA_BIND_HOST: '127.0.0.1',
    FLOTILLA_API_PORT: String(port),
  });
  await api.waitForLine(READY, 60_000);
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await t?.drop();
});

const get = (path: string, auth = true): Promise<Response> => fetch(`${apiUrl}${path}`, { headers: auth ? { authorization: `Bearer ${token}` } : {} });

describe('GET /v1/batches/:id/export', () => {
  it('CSV: a header, one properly escaped row per device in target order, empty cells for nulls', async () => {
    const res = await get(`/v1/batches/${small.batchId}/export?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="batch-${small.batchId}.csv"`);
    const text = await res.text();
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.seq, r.deviceName, r.status, r.exitCode])).toEqual([
      ['0', small.devices[0]!.name, 'succeeded', '0'],
      ['1', small.devices[1]!.name, 'failed', '3'],
      ['2', small.devices[2]!.name, 'skipped', ''],
    ]);
    expect(rows[0]).toMatchObject({ stdout: 'hello, "world"\nline2 é€\n', stderr: '', durationMs: '2000', truncated: 'false', startedAt: '2026-11-23T10:00:00.000Z' });
    expect(rows[1]).toMatchObject({ stderr: 'bad;\r\nthing', error: 'exit 3', durationMs: '0' });
    expect(rows[2]).toMatchObject({ stdout: '', startedAt: '', error: '' });
    expect(text.split('\n')[0]).toBe('seq,deviceId,deviceName,status,exitCode,dispatchedAt,startedAt,completedAt,durationMs,truncated,error,stdout,stderr');
  });

  it('JSON is one array and NDJSON one object per line, both with nulls kept', async () => {
    const json = await get(`/v1/batches/${small.batchId}/export?format=json`);
    expect(json.headers.get('content-type')).toBe('application/json');
    const items = (await json.json()) as Array<Record<string, unknown>>;
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ seq: 0, deviceId: small.devices[0]!.id, status: 'succeeded', exitCode: 0, stdout: 'hello, "world"\nline2 é€\n' });
    expect(items[2]).toMatchObject({ status: 'skipped', exitCode: null, stdout: null, startedAt: null, durationMs: null });

    const nd = await get(`/v1/batches/${small.batchId}/export?format=ndjson`);
    expect(nd.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await nd.text()).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(items);
  });

  it('answers 404 for an unknown batch, 400 for an unknown format, 401 without a token', async () => {
    const unknown = await get(`/v1/batches/${small.batchId.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}/export`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const bad = await get(`/v1/batches/${small.batchId}/export?format=xml`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_error' } });
    expect((await get(`/v1/batches/${small.batchId}/export`, false)).status).toBe(401);
  });

  it('streams a 2,000-device export with the API process memory far below the export size', async () => {
    const DEVICES = 2_000;
    const OUTPUT_BYTES = 64 * 1024;
    const big = await finishedBatch(DEVICES, `big-${randomBytes(3).toString('hex')}`);
    await t.handle.orm.execute(
      sql`update executions set status = 'succeeded', exit_code = 0, stdout = repeat('x', ${OUTPUT_BYTES}::int) || seq::text where batch_id = ${big.batchId}`,
    );
    const rssKb = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${api.child.pid}/status`, 'utf8'))?.[1]);
    // Warm up the export path, then take the baseline.
    await (await get(`/v1/batches/${small.batchId}/export?format=csv`)).text();
    const baseline = rssKb();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssKb())), 20);
    const res = await get(`/v1/batches/${big.batchId}/export?format=csv`);
    let bytes = 0;
    let newlines = 0;
    let tail = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      const text = decoder.decode(chunk, { stream: true });
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) newlines += 1;
      tail = (tail + text).slice(-200);
    }
    clearInterval(sampler);
    const growthMb = (peak - baseline) / 1024;
    const exportMb = bytes / 1024 / 1024;
    process.stdout.write(`[export] ${DEVICES} devices, ${exportMb.toFixed(1)} MB of CSV; API RSS ${(baseline / 1024).toFixed(0)} MB -> peak ${(peak / 1024).toFixed(0)} MB (+${growthMb.toFixed(1)} MB)\n`);
    expect(newlines).toBe(DEVICES + 1);
    expect(tail).toMatch(new RegExp(`x${DEVICES - 1},\\n$`));
    expect(exportMb).toBeGreaterThan(120);
    // Holding every row would take at least the export's size. A page holds at most 2 MiB of output; the
    // rest is garbage the collector has not reclaimed yet, which grows on a loaded machine.
    expect(growthMb).toBeLessThan(exportMb / 2);
  }, 180_000);
});
