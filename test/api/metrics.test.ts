// GET /metrics on the API: no token, Prometheus text, requests labelled by route pattern (never the
// concrete path) and status.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeText } from '../helpers/prometheus';
import { startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

async function metrics(): Promise<ReturnType<typeof scrapeText>> {
  const res = await h.app.request('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return scrapeText(await res.text());
}

describe('GET /metrics', () => {
  it('needs no token and counts requests by route pattern and status', async () => {
    const before = await metrics();
    const id = randomUUID();
    expect((await h.call('GET', `/v1/devices/${id}`)).status).toBe(404);
    expect((await h.call('GET', `/v1/batches/${id}`)).status).toBe(404);
    expect((await h.call('GET', '/v1/devices')).status).toBe(200);
    expect((await h.call('GET', '/v1/devices', undefined, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    const after = await metrics();
    const moved = (labels: Record<string, string>): number => after.value('flotilla_http_requests_total', labels) - before.value('flotilla_http_requests_total', labels);
    expect(moved({ method: 'GET', route: '/v1/devices/:id', status: '404' })).toBe(1);
    expect(moved({ method: 'GET', route: '/v1/batches/:id', status: '404' })).toBe(1);
    expect(moved({ method: 'GET', route: '/v1/devices', status: '200' })).toBe(1);
    expect(moved({ method: 'GET', status: '401' })).toBe(1);
    expect(after.value('flotilla_http_request_duration_seconds_count', { method: 'GET', route: '/v1/devices/:id' })).toBeGreaterThanOrEqual(1);
    expect(after.text).not.toContain(id);
  });
});
