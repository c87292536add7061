import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api';
import { createLogger } from '../../src/logger';
import { freePort } from '../helpers/ports';
import { TEST_ADMIN_TOKEN } from '../helpers/config';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('authentication', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-admin-token-at-all' }],
    ['the right token with another scheme', { authorization: `Basic ${TEST_ADMIN_TOKEN}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ];
  for (const [what, headers] of cases) {
    it(`answers 401 with the error shape for ${what}`, async () => {
      for (const [method, path] of [
        ['GET', '/v1/devices'],
        ['POST', '/v1/batches'],
        ['GET', '/v1/batches/00000000-0000-4000-8000-000000000000'],
        ['GET', '/v1/nothing-here'],
      ] as const) {
        const res = await h.app.request(path, { method, headers });
        expect(res.status, `${method} ${path}`).toBe(401);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('unauthorized');
        expect(JSON.stringify(body)).not.toContain(TEST_ADMIN_TOKEN);
      }
    });
  }

  it('accepts the admin token and answers unknown routes 404 not_found', async () => {
    expect((await h.call('GET', '/v1/devices')).status).toBe(200);
    const res = await h.json('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('refuses every token when the server has no admin token configured', async () => {
    const app = createApp({ db: h.db.handle, temporal: h.client, config: { ...h.config, adminToken: undefined }, logger: createLogger('t', 'silent') });
    const res = await app.request('/v1/devices', { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(res.status).toBe(401);
  });
});

describe('GET /v1/health', () => {
  it('reports the API, database and Temporal as ok without a token', async () => {
    const res = await h.app.request('/v1/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', api: 'ok', database: 'ok', temporal: 'ok' });
  });

  it('answers 503 naming Temporal when it does not answer', async () => {
    // A port nobody listens on: the connection is lazy, so only the probe fails. No retry interceptor: its
    // pending retry timer would otherwise fire on the channel this test closes below.
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [] });
    const app = createApp({ db: h.db.handle, temporal: new Client({ connection }), config: h.config, logger: createLogger('t', 'silent') });
    const started = Date.now();
    const res = await app.request('/v1/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'error', api: 'ok', database: 'ok', temporal: 'error' });
    expect(Date.now() - started).toBeLessThan(5_000);
    await connection.close();
  });
});
