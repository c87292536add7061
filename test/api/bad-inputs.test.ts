import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api';
import { devices, groupMembers, groups } from '../../src/db/schema';
import { createLogger } from '../../src/logger';
import { addDevice, addGroup, command, unique } from './batch-fixtures';
import { TEST_ADMIN_TOKEN } from '../helpers/config';
import { startHarness, type Harness, type Loose } from './harness';

let h: Harness;
let device = '';
let group = '';

beforeAll(async () => {
  h = await startHarness();
  device = await addDevice(h, unique('target'), ['web']);
  group = await addGroup(h, [device]);
});
afterAll(async () => {
  await h.close();
});

interface Case {
  name: string;
  method: string;
  path: () => string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const batch = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  targets: { deviceIds: [device] },
  action: command(),
  ...over,
});
const withAction = (over: Record<string, unknown>): Record<string, unknown> => batch({ action: command('uptime', over) });
const withStrategy = (strategy: Record<string, unknown>): Record<string, unknown> => batch({ strategy });
const post = (name: string, body: unknown, status = 400, code = 'validation_error'): Case => ({ name, method: 'POST', path: () => '/v1/batches', body, status, code });

const cases: Case[] = [
  // Batches: wrong types, missing and extra fields, out-of-range numbers, huge strings.
  post('batch: targets missing', { action: command() }),
  post('batch: action missing', { targets: { deviceIds: [device] } }),
  post('batch: body is an array', [batch()]),
  post('batch: body is a string', '"run uptime"'),
  post('batch: body is null', 'null'),
  post('batch: extra top-level field', batch({ priority: 'high' })),
  post('batch: extra field in action', withAction({ sudo: true })),
  post('batch: extra field in targets', batch({ targets: { deviceIds: [device], hosts: ['a'] } })),
  post('batch: empty targets object', batch({ targets: {} })),
  post('batch: device id not a uuid', batch({ targets: { deviceIds: ['web-01'] } })),
  post('batch: deviceIds not an array', batch({ targets: { deviceIds: device } })),
  post('batch: group id not a uuid', batch({ targets: { groupIds: [42] } })),
  post('batch: empty tag', batch({ targets: { tags: [''] } })),
  post('batch: unknown action type', batch({ action: { type: 'script', command: 'x' } })),
  post('batch: unknown shell', withAction({ shell: 'zsh' })),
  post('batch: empty command', withAction({ command: '' })),
  post('batch: command not a string', withAction({ command: ['ls', '-l'] })),
  post('batch: command over 64 KiB', withAction({ command: 'x'.repeat(65 * 1024) })),
  post('batch: NUL in command', withAction({ command: 'echo \u0000' })),
  post('batch: negative timeout', withAction({ timeoutSec: -1 })),
  post('batch: zero timeout', withAction({ timeoutSec: 0 })),
  post('batch: fractional timeout', withAction({ timeoutSec: 1.5 })),
  post('batch: timeout as a string', withAction({ timeoutSec: '30' })),
  post('batch: timeout over a day', withAction({ timeoutSec: 86_401 })),
  post('batch: bad env name', withAction({ env: { 'BAD-NAME': 'x' } })),
  post('batch: env value not a string', withAction({ env: { A: 1 } })),
  post('batch: unknown strategy mode', withStrategy({ mode: 'rolling' })),
  post('batch: zero concurrency', withStrategy({ concurrency: 0 })),
  post('batch: negative concurrency', withStrategy({ concurrency: -3 })),
  post('batch: concurrency over 100%', withStrategy({ concurrency: '150%' })),
  post('batch: concurrency garbage string', withStrategy({ concurrency: 'lots' })),
  post('batch: negative maxFailures', withStrategy({ maxFailures: -1 })),
  post('batch: stopOnFailure with maxFailures 2', withStrategy({ stopOnFailure: true, maxFailures: 2 })),
  post('batch: extra field in strategy', withStrategy({ batchSize: 5 })),
  post('batch: negative deliveryTimeoutSec', batch({ deliveryTimeoutSec: -5 })),
  post('batch: zero deadlineSec', batch({ deadlineSec: 0 })),
  post('batch: deadline as a string', batch({ deadlineSec: '60' })),
  // Transport-level problems.
  post('batch: malformed JSON', '{"targets": {"deviceIds": [', 400, 'invalid_json'),
  post('batch: empty JSON body', '', 400, 'invalid_json'),
  { name: 'batch: text/plain body', method: 'POST', path: () => '/v1/batches', body: JSON.stringify(batch()), headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
  { name: 'batch: form body', method: 'POST', path: () => '/v1/batches', body: 'targets=all', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
  { name: 'batch: no body, no content type', method: 'POST', path: () => '/v1/batches', status: 400, code: 'validation_error' },
  { name: 'batch: body over the size limit', method: 'POST', path: () => '/v1/batches', body: withAction({ command: 'x'.repeat(300 * 1024) }), status: 413, code: 'payload_too_large' },
  { name: 'batch: empty Idempotency-Key', method: 'POST', path: () => '/v1/batches', body: batch(), headers: { 'Idempotency-Key': '' }, status: 400, code: 'validation_error' },
  // Devices and groups.
  { name: 'device: name missing', method: 'POST', path: () => '/v1/devices', body: { hostname: 'x' }, status: 400, code: 'validation_error' },
  { name: 'device: name a number', method: 'POST', path: () => '/v1/devices', body: { name: 42 }, status: 400, code: 'validation_error' },
  { name: 'device: name of 10,000 characters', method: 'POST', path: () => '/v1/devices', body: { name: 'n'.repeat(10_000) }, status: 400, code: 'validation_error' },
  { name: 'device: name with a newline', method: 'POST', path: () => '/v1/devices', body: { name: 'a\nb' }, status: 400, code: 'validation_error' },
  { name: 'device: tags not an array', method: 'POST', path: () => '/v1/devices', body: { name: 'ok-name', tags: 'web' }, status: 400, code: 'validation_error' },
  { name: 'device: tag with a space', method: 'POST', path: () => '/v1/devices', body: { name: 'ok-name', tags: ['a b'] }, status: 400, code: 'validation_error' },
  { name: 'device: extra field', method: 'POST', path: () => '/v1/devices', body: { name: 'ok-name', tokenHash: 'x' }, status: 400, code: 'validation_error' },
  { name: 'device patch: extra field', method: 'PATCH', path: () => `/v1/devices/${device}`, body: { online: true }, status: 400, code: 'validation_error' },
  { name: 'device patch: empty name', method: 'PATCH', path: () => `/v1/devices/${device}`, body: { name: '' }, status: 400, code: 'validation_error' },
  { name: 'group: name missing', method: 'POST', path: () => '/v1/groups', body: { deviceIds: [] }, status: 400, code: 'validation_error' },
  { name: 'group: member id not a uuid', method: 'POST', path: () => '/v1/groups', body: { name: 'g-ok', deviceIds: ['abc'] }, status: 400, code: 'validation_error' },
  { name: 'group members: not an array', method: 'PUT', path: () => `/v1/groups/${group}/devices`, body: { deviceIds: device }, status: 400, code: 'validation_error' },
  { name: 'group members: missing', method: 'PUT', path: () => `/v1/groups/${group}/devices`, body: {}, status: 400, code: 'validation_error' },
  // Paths and queries.
  { name: 'bad uuid in device path', method: 'GET', path: () => '/v1/devices/not-a-uuid', status: 400, code: 'validation_error' },
  { name: 'bad uuid in device delete', method: 'DELETE', path: () => '/v1/devices/1', status: 400, code: 'validation_error' },
  { name: 'bad uuid in batch path', method: 'GET', path: () => '/v1/batches/123', status: 400, code: 'validation_error' },
  { name: 'bad uuid in cancel path', method: 'POST', path: () => '/v1/batches/xyz/cancel', status: 400, code: 'validation_error' },
  { name: 'bad uuid in execution path', method: 'GET', path: () => `/v1/batches/${device}/executions/nope`, status: 400, code: 'validation_error' },
  { name: 'bad uuid in group members path', method: 'PUT', path: () => '/v1/groups/zzz/devices', body: { deviceIds: [] }, status: 400, code: 'validation_error' },
  { name: 'limit zero', method: 'GET', path: () => '/v1/devices?limit=0', status: 400, code: 'validation_error' },
  { name: 'limit over 200', method: 'GET', path: () => '/v1/batches?limit=201', status: 400, code: 'validation_error' },
  { name: 'limit not a number', method: 'GET', path: () => '/v1/groups?limit=ten', status: 400, code: 'validation_error' },
  { name: 'unknown device status filter', method: 'GET', path: () => '/v1/devices?status=sleeping', status: 400, code: 'validation_error' },
  { name: 'unknown batch status filter', method: 'GET', path: () => '/v1/batches?status=done', status: 400, code: 'validation_error' },
  { name: 'group filter not a uuid', method: 'GET', path: () => '/v1/devices?group=web', status: 400, code: 'validation_error' },
  { name: 'garbage cursor', method: 'GET', path: () => '/v1/devices?cursor=%%%garbage', status: 400, code: 'invalid_cursor' },
  { name: 'cursor of other JSON', method: 'GET', path: () => `/v1/batches?cursor=${Buffer.from('{"id":1}').toString('base64url')}`, status: 400, code: 'invalid_cursor' },
  { name: 'cursor with a bad time', method: 'GET', path: () => `/v1/groups?cursor=${Buffer.from('["t","yesterday","00000000-0000-4000-8000-000000000000"]').toString('base64url')}`, status: 400, code: 'invalid_cursor' },
  { name: 'cursor with Feb 30', method: 'GET', path: () => `/v1/batches?cursor=${Buffer.from('["t","2026-02-30T10:00:00.000000Z","00000000-0000-4000-8000-000000000000"]').toString('base64url')}`, status: 400, code: 'invalid_cursor' },
  { name: 'cursor at 24:00', method: 'GET', path: () => `/v1/devices?cursor=${Buffer.from('["t","2026-01-01T24:00:00.000000Z","00000000-0000-4000-8000-000000000000"]').toString('base64url')}`, status: 400, code: 'invalid_cursor' },
  { name: 'cursor that is not base64 JSON', method: 'GET', path: () => '/v1/devices?cursor=aGVsbG8', status: 400, code: 'invalid_cursor' },
  { name: 'huge cursor', method: 'GET', path: () => `/v1/devices?cursor=${'A'.repeat(5000)}`, status: 400, code: 'validation_error' },
];

async function workflowCount(): Promise<number> {
  let n = 0;
  for await (const _ of h.client.workflow.list()) n += 1;
  return n;
}

async function rowCounts(): Promise<Record<string, number>> {
  const db = h.db.handle.orm;
  return { ...(await h.counts()), devices: await db.$count(devices), groups: await db.$count(groups), members: await db.$count(groupMembers) };
}

describe('bad inputs', () => {
  it('answer 4xx with the error shape, write no row and start no workflow', async () => {
    const rowsBefore = await rowCounts();
    const workflowsBefore = await workflowCount();
    const failures: string[] = [];
    for (const c of cases) {
      const init: RequestInit = { method: c.method, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...c.headers } };
      if (c.body !== undefined) {
        init.body = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
        init.headers = { 'content-type': 'application/json', ...init.headers };
      }
      const res = await h.app.request(c.path(), init);
      const text = await res.text();
      let body: Loose;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const shapeOk =
        body !== undefined &&
        Object.keys(body).join() === 'error' &&
        typeof body.error.code === 'string' &&
        typeof body.error.message === 'string' &&
        Object.keys(body.error).every((k) => ['code', 'message', 'details'].includes(k));
      if (res.status !== c.status || !shapeOk || body.error.code !== c.code) {
        failures.push(`${c.name}: ${res.status} ${text.slice(0, 300)}`);
      }
      if (res.status === c.status && c.code === 'validation_error' && shapeOk) {
        expect(Array.isArray(body.error.details) && body.error.details.length > 0, c.name).toBe(true);
        for (const d of body.error.details) expect(typeof d.path === 'string' && typeof d.message === 'string', c.name).toBe(true);
      }
      expect(text, c.name).not.toMatch(/\n\s+at .*\(/);
    }
    expect(failures).toEqual([]);
    expect(await rowCounts()).toEqual(rowsBefore);
    expect(await workflowCount()).toBe(workflowsBefore);
  });

  it('names the bad field in validation details', async () => {
    const res = await h.json('POST', '/v1/batches', withAction({ timeoutSec: -1 }));
    expect(res.body.error.details).toEqual([{ path: 'body.action.timeoutSec', message: expect.any(String) }]);
    expect(res.body.error.message).toContain('body.action.timeoutSec');
  });

  it('refuses env values with 400 secret_key_missing when the server has no secret key', async () => {
    const app = createApp({ db: h.db.handle, temporal: h.client, config: { ...h.config, secretKey: undefined }, logger: createLogger('t', 'silent') });
    const before = await rowCounts();
    const workflowsBefore = await workflowCount();
    const res = await app.request('/v1/batches', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(withAction({ env: { A: 'b' } })),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Loose).error.code).toBe('secret_key_missing');
    expect(await rowCounts()).toEqual(before);
    expect(await workflowCount()).toBe(workflowsBefore);
  });

  it('answers an unexpected failure with a logged 500 internal that leaks nothing', async () => {
    const lines: string[] = [];
    const logger = createLogger('t', 'error');
    const spy = Object.assign(Object.create(logger) as typeof logger, {
      error: (obj: unknown, msg?: string) => {
        lines.push(`${msg ?? ''} ${String((obj as { err?: unknown }).err)}`);
      },
    });
    const broken = { ...h.db.handle, orm: new Proxy(h.db.handle.orm, { get: () => () => { throw new Error('database exploded: secret detail'); } }) };
    const app = createApp({ db: broken, temporal: h.client, config: h.config, logger: spy });
    const res = await app.request(`/v1/devices/${device}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(text).not.toContain('exploded');
    expect(lines.join('\n')).toContain('database exploded');
  });
});

describe('bodies on routes that take none', () => {
  it('accepts cancel with a JSON content type and an empty body', async () => {
    const res = await h.json('POST', `/v1/batches/${device}/cancel`, undefined, { 'content-type': 'application/json' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
