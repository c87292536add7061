import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXECUTION_STATUSES } from '../../src/domain/status';
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
      '/v1/agent/download',
      '/v1/agent/install.sh',
      '/v1/audit',
      '/v1/batches',
      '/v1/batches/{id}',
      '/v1/batches/{id}/cancel',
      '/v1/batches/{id}/events',
      '/v1/batches/{id}/executions',
      '/v1/batches/{id}/executions/{deviceId}',
      '/v1/batches/{id}/export',
      '/v1/batches/{id}/outcomes',
      '/v1/batches/{id}/pause',
      '/v1/batches/{id}/resume',
      '/v1/batches/{id}/retry',
      '/v1/console/settings',
      '/v1/devices',
      '/v1/devices/{id}',
      '/v1/devices/{id}/rotate-token',
      '/v1/enroll',
      '/v1/enrollment-keys',
      '/v1/enrollment-keys/{id}',
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
    // The enrollment key in the body is the credential.
    expect(doc.paths['/v1/enroll'].post.security).toBeUndefined();
    expect(doc.paths['/v1/enrollment-keys'].post.security).toEqual([{ bearer: [] }]);
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

/** Field names whose meaning needs no words; every other field carries a description. */
const SELF_EVIDENT = new Set([
  ...['id', 'name', 'createdAt', 'updatedAt', 'startedAt', 'completedAt', 'lastSeenAt', 'lastUsedAt', 'revokedAt', 'durationMs'],
  ...['status', 'items', 'nextCursor', 'error', 'code', 'message', 'type', 'command', 'role', 'disabled', 'hostname', 'tags'],
  ...['batch', 'device', 'devices', 'group', 'file', 'schedule', 'user', 'token', 'tokenId', 'userId', 'deviceId', 'deviceName', 'batchId'],
  ...['stdout', 'stderr', 'exitCode', 'size', 'progress'],
  // ExecutionStats: one count per status, described once on the object.
  ...EXECUTION_STATUSES,
]);

const isReference = (s: Loose): boolean => '$ref' in s || [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])].some((x: Loose) => isReference(x));

/** Fields without a description that are not self-evident, named by where they are. */
function undescribed(schema: Loose, where: string, out: string[] = []): string[] {
  if (!schema || typeof schema !== 'object') return out;
  for (const [key, field] of Object.entries<Loose>(schema.properties ?? {})) {
    if (!field.description && !isReference(field) && !SELF_EVIDENT.has(key)) out.push(`${where}.${key}`);
    undescribed(field, `${where}.${key}`, out);
  }
  for (const key of ['items', 'additionalProperties']) undescribed(schema[key], `${where}[]`, out);
  for (const key of ['oneOf', 'anyOf', 'allOf']) (schema[key] ?? []).forEach((s: Loose, i: number) => undescribed(s, `${where}|${i}`, out));
  return out;
}

describe('the reference quality of /v1/openapi.json', () => {
  const operations = async (): Promise<Loose[]> => {
    const doc = (await h.json('GET', '/v1/openapi.json')).body;
    return Object.values<Loose>(doc.paths).flatMap((ops) => Object.values<Loose>(ops));
  };

  it('names every operation with a unique camelCase verb operationId', async () => {
    const ids = (await operations()).map((op) => op.operationId);
    for (const id of ids) expect(id).toMatch(/^(list|get|create|update|delete|set|cancel|pause|resume|retry|trigger|follow|export|upload|rotate|revoke|enroll|download)[A-Z][A-Za-z]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['listBatches', 'createBatch', 'getBatch', 'cancelBatch', 'createSchedule', 'createDevice', 'getHealth']));
  });

  it('describes every request and response field that is not self-evident, and every query parameter', async () => {
    const doc = (await h.json('GET', '/v1/openapi.json')).body;
    const missing: string[] = [];
    for (const [name, schema] of Object.entries<Loose>(doc.components.schemas)) undescribed(schema, name, missing);
    for (const op of await operations()) {
      for (const p of op.parameters ?? []) if (p.in === 'query' && !p.description && !(p.schema && 'enum' in p.schema)) missing.push(`${op.operationId} ?${p.name}`);
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body) undescribed(body, `${op.operationId} body`, missing);
      for (const [code, res] of Object.entries<Loose>(op.responses)) {
        const schema = res.content?.['application/json']?.schema;
        if (schema) undescribed(schema, `${op.operationId} ${code}`, missing);
      }
    }
    expect(missing).toEqual([]);
  });
});
