// API fuzz: generated hostile requests against every operation of the app's own /v1/openapi.json, on a
// real database and a real Temporal namespace. Every answer must be a 4xx in the one error shape, and
// afterwards no row has changed and no workflow has started. FUZZ_SEED reproduces a run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_PATH } from '../../src/api';
import { waitFor } from '../helpers/ports';
import { addDevice, addGroup, command, unique } from './batch-fixtures';
import { hostileRequests, type HostileRequest } from './fuzz/hostile-requests';
import { listOperations, resolver, undeclaredMethods, type OpenApiDocument } from './fuzz/openapi-operations';
import { snapshotState } from './fuzz/state-snapshot';
import { TEST_ADMIN_TOKEN } from '../helpers/config';
import { startHarness, type Harness, type Loose } from './harness';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const MIN_REQUESTS = 1_000;
/** FUZZ_REQUESTS raises the number sent (at least 1,200) for a longer hunt. */
const REQUESTS = Math.max(Number(process.env.FUZZ_REQUESTS ?? 0), MIN_REQUESTS * 1.2);

let h: Harness;
const existingIds: string[] = [];

beforeAll(async () => {
  // The harness turns the per-token rate limit off: a 429 would stop the request before the fault is seen.
  h = await startHarness();
  const device = await addDevice(h, unique('fuzz'), ['web']);
  const group = await addGroup(h, [device]);
  const batch = await h.json('POST', '/v1/batches', { targets: { deviceIds: [device] }, action: command() });
  expect(batch.status, JSON.stringify(batch.body)).toBe(201);
  existingIds.push(device, group, batch.body.batchId);
  await waitFor('the seeded batch workflow to be listed', async () => (await snapshotState(h.db.url, h.client)).workflows.some((w) => w.startsWith(`${batch.body.workflowId} `)));
});
afterAll(async () => {
  await h?.close();
});

function refusalProblem(status: number, text: string): string | undefined {
  if (status < 400 || status > 499) return `status ${status}`;
  let body: Loose;
  try {
    body = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  const error = body?.error;
  const shaped =
    Object.keys(body ?? {}).join() === 'error' &&
    typeof error?.code === 'string' && error.code !== '' &&
    typeof error?.message === 'string' && error.message !== '' &&
    Object.keys(error).every((k) => ['code', 'message', 'details'].includes(k));
  if (!shaped) return 'not {error:{code,message,details?}}';
  if (/\n\s+at .*\(/.test(text)) return 'stack trace in the body';
  return undefined;
}

describe('API fuzz', () => {
  it(`refuses ${MIN_REQUESTS}+ generated hostile requests across every operation with a 4xx, writing nothing and starting nothing`, async () => {
    const doc = (await (await h.app.request(OPENAPI_PATH)).json()) as OpenApiDocument;
    const operations = listOperations(doc);
    const resolve = resolver(doc);
    const runsPerOperation = Math.ceil(REQUESTS / operations.length);
    const before = await snapshotState(h.db.url, h.client);
    const failures = new Map<string, string>();
    const sent = new Map<string, number>();
    const statuses = new Map<number, number>();
    for (const [i, op] of operations.entries()) {
      const kinds = hostileRequests(op, { resolve, token: TEST_ADMIN_TOKEN, existingIds, otherMethods: undeclaredMethods(doc, op.path) });
      expect(kinds.length, `${op.method} ${op.path} has no fault to try`).toBeGreaterThan(0);
      const requests: HostileRequest[] = fc.sample(fc.oneof(...kinds), { seed: SEED + i, numRuns: runsPerOperation });
      for (const req of requests) {
        const res = await h.app.request(req.url, { method: req.method, headers: req.headers, body: req.body });
        const text = await res.text();
        const problem = refusalProblem(res.status, text);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const key = `${op.method} ${op.path} [${req.fault}]`;
        sent.set(key, (sent.get(key) ?? 0) + 1);
        if (problem !== undefined && !failures.has(`${key} ${problem}`)) {
          failures.set(`${key} ${problem}`, `${req.method} ${req.url.slice(0, 200)} ${JSON.stringify(req.headers).slice(0, 200)} ${(req.body ?? '').slice(0, 300)} -> ${res.status} ${text.slice(0, 300)}`);
        }
      }
    }
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    console.info(`API fuzz (FUZZ_SEED=${SEED}): ${total} requests over ${operations.length} operations, ${sent.size} operation x fault pairs; answers ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect([...failures].map(([k, v]) => `${k}: ${v}`), `FUZZ_SEED=${SEED}`).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(MIN_REQUESTS);
    for (const op of operations) expect([...sent.keys()].some((k) => k.startsWith(`${op.method} ${op.path} [`)), `${op.method} ${op.path}`).toBe(true);
    expect(await snapshotState(h.db.url, h.client), `FUZZ_SEED=${SEED}`).toEqual(before);
  }, 600_000);
});
