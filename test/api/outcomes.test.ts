// Outcome groups and output search through the API, on results stored by the gateway's own functions.
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markDispatched, storeResult } from '../../src/db/queries/agent-results';
import { normalizeOutput, OUTCOME_NORMALIZATIONS, type OutcomeNormalization } from '../../src/domain/outcome';
import type { ResultMessage, StepResult } from '../../src/protocol/v1/messages';
import { executions } from '../../src/db/schema';
import { seedDevices } from '../helpers/batches';
import { command } from './batch-fixtures';
import { startHarness, type Harness, type Loose } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

interface Outcome {
  status: 'succeeded' | 'failed';
  exitCode: number;
  stdout: string;
  stderr?: string;
  truncated?: boolean;
  steps?: StepResult[];
}

/** A batch on `outcomes.length` new devices, each execution finished as the gateway would store it. */
async function batchWith(outcomes: Outcome[], body: Record<string, unknown> = { action: command('true') }): Promise<{ batchId: string; deviceIds: string[] }> {
  const fleet = await seedDevices(h.db.handle.orm, outcomes.length);
  const res = await h.json('POST', '/v1/batches', { targets: { deviceIds: fleet.map((d) => d.id) }, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const { batchId } = res.body as { batchId: string };
  const rows = await h.db.handle.orm.select({ id: executions.id, deviceId: executions.deviceId }).from(executions).where(eq(executions.batchId, batchId));
  const byDevice = new Map(rows.map((e) => [e.deviceId, e.id]));
  for (const [i, o] of outcomes.entries()) {
    const device = fleet[i] as { id: string };
    const executionId = byDevice.get(device.id) as string;
    await markDispatched(h.db.handle.orm, executionId, 'gw-test');
    const result: ResultMessage = {
      v: 1,
      type: 'result',
      id: randomUUID(),
      executionId,
      status: o.status,
      exitCode: o.exitCode,
      stdout: o.stdout,
      stderr: o.stderr ?? '',
      truncated: o.truncated ?? false,
      startedAt: new Date().toISOString(),
      completedAt: new Date().toISOString(),
      error: null,
      ...(o.steps ? { steps: o.steps } : {}),
    } as ResultMessage;
    expect(await storeResult(h.db.handle.orm, device.id, result)).not.toBeNull();
  }
  return { batchId, deviceIds: fleet.map((d) => d.id) };
}

async function groups(batchId: string, query = ''): Promise<Loose> {
  const res = await h.json('GET', `/v1/batches/${batchId}/outcomes${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('GET /v1/batches/:id/outcomes', () => {
  it('groups devices by status, exit code and output, largest group first, with samples and the first devices', async () => {
    const outcomes: Outcome[] = [
      ...Array.from({ length: 5 }, (_, i): Outcome => ({ status: 'succeeded', exitCode: 0, stdout: `ok up ${100 + i} days\n` })),
      ...Array.from({ length: 3 }, (_, i): Outcome => ({ status: 'failed', exitCode: 1, stdout: '', stderr: `disk full on /dev/sda${i}\n` })),
      { status: 'failed', exitCode: 2, stdout: 'ok up 7 days\n' },
    ];
    const { batchId, deviceIds } = await batchWith(outcomes);
    const exact = await groups(batchId);
    expect(exact.distinct).toBe(9);
    const digits = await groups(batchId, '?normalize=digits');
    expect(digits.distinct).toBe(3);
    expect(digits.items.map((g: Loose) => [g.status, g.exitCode, g.count])).toEqual([
      ['succeeded', 0, 5],
      ['failed', 1, 3],
      ['failed', 2, 1],
    ]);
    const [ok, disk] = digits.items;
    expect(ok.stdoutSample).toBe('ok up 100 days\n');
    expect(ok.deviceIds).toEqual(deviceIds.slice(0, 5));
    expect(disk.stderrSample).toBe('disk full on /dev/sda0\n');
    expect(ok.key).toMatch(/^d-[0-9a-f]{32}$/);
    // Every device is in exactly one group.
    expect(digits.items.reduce((n: number, g: Loose) => n + g.count, 0)).toBe(outcomes.length);

    const members = await h.json('GET', disk.devicesUrl);
    expect(members.status).toBe(200);
    expect(members.body.items.map((e: Loose) => e.deviceId)).toEqual(deviceIds.slice(5, 8));
  });

  it('whitespace folds runs of white space and trims, but keeps digits apart', async () => {
    const { batchId } = await batchWith([
      { status: 'succeeded', exitCode: 0, stdout: 'a  b\n' },
      { status: 'succeeded', exitCode: 0, stdout: ' a b' },
      { status: 'succeeded', exitCode: 0, stdout: 'a\tb 1' },
      { status: 'succeeded', exitCode: 0, stdout: 'a b 2' },
    ]);
    expect((await groups(batchId, '?normalize=none')).distinct).toBe(4);
    expect((await groups(batchId, '?normalize=whitespace')).distinct).toBe(3);
    expect((await groups(batchId, '?normalize=digits')).distinct).toBe(2);
  });

  it("agrees with the TypeScript rule of src/domain/outcome.ts on every normalisation", async () => {
    const texts = ['x', 'x ', ' x', 'x\n\ny', 'x y', 'pid 123 ok', 'pid 9 ok', 'pid  9 ok', '12', '3', '', '\t'];
    const { batchId } = await batchWith(texts.map((t) => ({ status: 'succeeded', exitCode: 0, stdout: t })));
    for (const n of OUTCOME_NORMALIZATIONS) {
      const expected = new Set(texts.map((t) => normalizeOutput(t, n as OutcomeNormalization))).size;
      expect((await groups(batchId, `?normalize=${n}`)).distinct, n).toBe(expected);
    }
  });

  it('pages groups with a cursor, each group once', async () => {
    const { batchId } = await batchWith(Array.from({ length: 7 }, (_, i) => ({ status: 'succeeded', exitCode: 0, stdout: `out ${i % 5}` })));
    const seen: Loose[] = [];
    let cursor: string | null = null;
    do {
      const page: Loose = await groups(batchId, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.distinct).toBe(5);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((g) => g.count)).toEqual([2, 2, 1, 1, 1]);
    expect(new Set(seen.map((g) => g.key)).size).toBe(5);
  });

  it('groups one step of a multi-step batch', async () => {
    const step = (index: number, stdout: string, status: StepResult['status'] = 'succeeded'): StepResult => ({
      index,
      status,
      exitCode: status === 'succeeded' ? 0 : 1,
      stdout,
      stderr: '',
      truncated: false,
      startedAt: null,
      completedAt: null,
      error: null,
      bytes: null,
      sha256: null,
    });
    const { batchId } = await batchWith(
      [
        { status: 'succeeded', exitCode: 0, stdout: '', steps: [step(0, 'same'), step(1, 'v1')] },
        { status: 'succeeded', exitCode: 0, stdout: '', steps: [step(0, 'same'), step(1, 'v2')] },
        { status: 'succeeded', exitCode: 0, stdout: '', steps: [step(0, 'same'), step(1, 'v3')] },
      ],
      { steps: [command('echo same'), command('echo v')] },
    );
    expect((await groups(batchId, '?step=0')).distinct).toBe(1);
    const second = await groups(batchId, '?step=1&normalize=digits');
    expect(second.distinct).toBe(1);
    expect(second.items[0].key).toMatch(/^d1-/);
    const members = await h.json('GET', second.items[0].devicesUrl);
    expect(members.body.items).toHaveLength(3);
  });

  it('refuses what it cannot answer, with the error shape', async () => {
    const { batchId } = await batchWith([{ status: 'succeeded', exitCode: 0, stdout: 'x' }]);
    for (const q of ['?normalize=lines', '?step=-1', '?step=x', '?cursor=nope', '?limit=0']) {
      const res = await h.json('GET', `/v1/batches/${batchId}/outcomes${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toMatch(/validation_error|invalid_cursor/);
    }
    const bad = await h.json('GET', `/v1/batches/${batchId}/executions?group=zz`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('query.group');
    const missing = await h.json('GET', `/v1/batches/${randomUUID()}/outcomes`);
    expect(missing.status).toBe(404);
  });
});

describe('export of outcome groups', () => {
  it('writes one row per group, largest first, as CSV (format=groups) and as JSON (format=groups-json)', async () => {
    const { batchId, deviceIds } = await batchWith([
      { status: 'succeeded', exitCode: 0, stdout: 'ok 1' },
      { status: 'succeeded', exitCode: 0, stdout: 'ok 2' },
      { status: 'failed', exitCode: 3, stdout: '', stderr: 'disk, "full"\n' },
    ]);
    const csvRes = await h.call('GET', `/v1/batches/${batchId}/export?format=groups&normalize=digits`);
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvRes.headers.get('content-disposition')).toContain(`batch-${batchId}.groups.csv`);
    const rows = parse(await csvRes.text(), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.status, r.exitCode, r.count])).toEqual([
      ['succeeded', '0', '2'],
      ['failed', '3', '1'],
    ]);
    expect(rows[1]?.stderrSample).toBe('disk, "full"\n');
    expect(rows[0]?.firstDeviceIds).toBe(`${deviceIds[0]} ${deviceIds[1]}`);
    const json = await h.json('GET', `/v1/batches/${batchId}/export?format=groups-json`);
    expect(json.status).toBe(200);
    expect(json.body.map((g: Loose) => g.count)).toEqual([1, 1, 1]);
    expect(json.body[0].key).toMatch(/^n-[0-9a-f]{32}$/);
  });
});

describe('output search', () => {
  it('finds exactly the devices whose stdout or stderr contains the text, in any case, including in a 1 MiB output', async () => {
    const big = `${'x'.repeat(1024 * 1024 - 20)}NEEDLE at the end`;
    const { batchId, deviceIds } = await batchWith([
      { status: 'succeeded', exitCode: 0, stdout: 'nothing here' },
      { status: 'succeeded', exitCode: 0, stdout: big, truncated: true },
      { status: 'failed', exitCode: 1, stdout: '', stderr: 'a Needle in stderr' },
      { status: 'succeeded', exitCode: 0, stdout: 'needle_with 100% wildcard' },
    ]);
    const find = async (q: string): Promise<string[]> => {
      const res = await h.json('GET', `/v1/batches/${batchId}/executions?${q}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.map((e: Loose) => e.deviceId);
    };
    expect(await find('stdout=needle')).toEqual([deviceIds[1], deviceIds[3]]);
    expect(await find('stderr=NEEDLE')).toEqual([deviceIds[2]]);
    // LIKE's wildcards are plain characters in a search.
    expect(await find(`stdout=${encodeURIComponent('100%')}`)).toEqual([deviceIds[3]]);
    expect(await find('stdout=e_w')).toEqual([deviceIds[3]]);
    expect(await find('stdout=absent')).toEqual([]);
    expect(await find('output=needle')).toEqual([deviceIds[1], deviceIds[2], deviceIds[3]]);
    expect(await find('stdout=needle&status=succeeded')).toEqual([deviceIds[1], deviceIds[3]]);
  });
});
