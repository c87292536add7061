import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Loose } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('GET /v1/openapi.json', () => {
  it('is served without a token, generated from the route schemas, with bearer security', async () => {
    const res = await h.app.request('/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Loose;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/audit',
      '/v1/batches',
      '/v1/batches/{id}',
      '/v1/batches/{id}/cancel',
      '/v1/batches/{id}/events',
      '/v1/batches/{id}/executions',
      '/v1/batches/{id}/executions/{deviceId}',
      '/v1/batches/{id}/export',
      '/v1/batches/{id}/pause',
      '/v1/batches/{id}/resume',
      '/v1/batches/{id}/retry',
      '/v1/console/settings',
      '/v1/devices',
      '/v1/devices/{id}',
      '/v1/devices/{id}/rotate-token',
      '/v1/files',
      '/v1/files/{id}',
      '/v1/groups',
      '/v1/groups/{id}',
      '/v1/groups/{id}/devices',
      '/v1/health',
      '/v1/me',
      '/v1/schedules',
      '/v1/schedules/{id}',
      '/v1/schedules/{id}/pause',
      '/v1/schedules/{id}/resume',
      '/v1/schedules/{id}/runs',
      '/v1/schedules/{id}/trigger',
      '/v1/session',
      '/v1/targets/preview',
      '/v1/tokens/{id}',
      '/v1/users',
      '/v1/users/{id}',
      '/v1/users/{id}/tokens',
    ]);
    expect(doc.paths['/v1/batches'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/health'].get.security).toBeUndefined();
    const batchBody = doc.paths['/v1/batches'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(batchBody.properties).sort()).toEqual(['action', 'deadlineSec', 'deliveryTimeoutSec', 'stepMode', 'steps', 'strategy', 'targets']);
    // Exactly one of action or steps: neither is required on its own.
    expect(batchBody.required).toEqual(['targets']);
    expect(batchBody.properties.steps.items.oneOf ?? batchBody.properties.steps.items.anyOf).toHaveLength(3);
    expect(doc.components.schemas.Device.properties).not.toHaveProperty('tokenHash');
    expect(doc.components.schemas.Error.properties.error).toBeDefined();
    const events = doc.paths['/v1/batches/{id}/events'].get;
    expect(Object.keys(events.responses[200].content)).toEqual(['text/event-stream']);
    expect(events.description).toContain('Last-Event-ID');
    expect(doc.paths['/v1/devices/{id}/rotate-token'].post.responses).toHaveProperty('200');
    expect(doc.paths['/v1/batches'].post.responses).toHaveProperty('429');
  });
});
