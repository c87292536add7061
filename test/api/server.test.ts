import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startApi } from '../../src/api';
import { createLogger } from '../../src/logger';
import { freePort } from '../helpers/ports';
import { READY, startProcess } from '../helpers/processes';
import { TEST_ADMIN_TOKEN } from '../helpers/config';
import { startHarness, type Harness, type Loose } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FLOTILLA_MAX_BODY_BYTES: '1024' });
});
afterAll(async () => {
  await h.close();
});

describe('startApi', () => {
  it('serves the app over HTTP, enforces the body limit on streamed bodies, and stops', async () => {
    const api = await startApi({ db: h.db.handle, temporal: h.client, config: h.config, logger: createLogger('t', 'silent'), port: 0, host: '127.0.0.1' });
    try {
      expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${api.url}/v1/health`);
      expect(health.status).toBe(200);
      // No Content-Length: the limit is counted while reading.
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 4; i += 1) controller.enqueue(new TextEncoder().encode(' '.repeat(512)));
          controller.close();
        },
      });
      const big = await fetch(`${api.url}/v1/devices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: chunks,
        duplex: 'half',
      } as RequestInit);
      expect(big.status).toBe(413);
      expect(((await big.json()) as Loose).error.code).toBe('payload_too_large');
      const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
      // An empty POST, as `curl -X POST` sends it, is not refused for its missing content type.
      const cancel = await fetch(`${api.url}/v1/batches/00000000-0000-4000-8000-000000000000/cancel`, { method: 'POST', headers: auth });
      expect(cancel.status).toBe(404);
      const text = await fetch(`${api.url}/v1/devices`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{"name":"x"}' });
      expect(text.status).toBe(415);
      const broken = await fetch(`${api.url}/v1/devices`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":' });
      expect(((await broken.json()) as Loose).error.code).toBe('invalid_json');
      const empty = await fetch(`${api.url}/v1/devices`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' } });
      expect(empty.status).toBe(400);
    } finally {
      await api.stop();
    }
    await expect(fetch(`${api.url}/v1/health`)).rejects.toThrow();
  });
});

describe('src/main/api.ts', () => {
  it('starts, logs ready with its URL, serves, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const proc = startProcess('api', 'src/main/api.ts', {
      DATABASE_URL: h.db.url,
      FLOTILLA_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      FLOTILLA_API_PORT: String(port),
      FLOTILLA_BIND_HOST: '127.0.0.1',
    });
    try {
      const ready = JSON.parse(await proc.waitForLine(READY, 60_000)) as { url: string };
      expect(ready.url).toBe(`http://127.0.0.1:${port}`);
      const res = await fetch(`${ready.url}/v1/devices`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      expect(proc.lines.join('\n')).not.toContain(TEST_ADMIN_TOKEN);
    } finally {
      expect(await proc.stop('SIGTERM')).toBe(0);
    }
  });

  it('refuses to start without DATABASE_URL or an admin token', async () => {
    const base = { TEMPORAL_ADDRESS: inject('temporalAddress'), FLOTILLA_API_PORT: String(await freePort()), DATABASE_URL: '', FLOTILLA_ADMIN_TOKEN: '' };
    const noDb = startProcess('api-no-db', 'src/main/api.ts', { ...base, FLOTILLA_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
    expect(await noDb.exited).not.toBe(0);
    expect(noDb.lines.join('\n')).toContain('DATABASE_URL is required');
    const noToken = startProcess('api-no-token', 'src/main/api.ts', { ...base, DATABASE_URL: h.db.url });
    expect(await noToken.exited).not.toBe(0);
    expect(noToken.lines.join('\n')).toContain('FLOTILLA_ADMIN_TOKEN is required');
  });
});
