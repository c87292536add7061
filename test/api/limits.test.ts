// The API's configurable limits, each with its clear error and proof that nothing was written or
// started: command/script size, targets per batch, running batches per user, requests per token.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api';
import { loadServerConfig } from '../../src/config';
import { devices } from '../../src/db/schema';
import { createLogger } from '../../src/logger';
import { addDevice, command, unique } from './batch-fixtures';
import { TEST_ADMIN_TOKEN } from '../helpers/config';
import { startHarness, type Harness, type Loose } from './harness';
import { bearerOf, createUser, type TestUser } from './users-fixtures';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ FLOTILLA_MAX_COMMAND_BYTES: '100', FLOTILLA_MAX_TARGETS: '3', FLOTILLA_MAX_RUNNING_BATCHES: '2' });
});

afterAll(async () => {
  await h?.close();
});

const runningWorkflows = async (): Promise<number> => (await h.client.workflow.count('ExecutionStatus="Running"')).count;

describe('command and script size', () => {
  it('refuses a command over FLOTILLA_MAX_COMMAND_BYTES with 400 naming the field, and writes nothing', async () => {
    const d = await addDevice(h, unique('size'));
    const before = await h.counts();
    // 37 characters, 101 bytes: the euro sign takes three.
    const res = await h.json('POST', '/v1/batches', { targets: { deviceIds: [d] }, action: command('echo ' + '€'.repeat(32)) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('command_too_large');
    expect(res.body.error.message).toMatch(/^action\.command: must be at most 100 bytes \(FLOTILLA_MAX_COMMAND_BYTES\); it has 101$/);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'action.command' })]);
    expect(await h.counts()).toEqual(before);
    const ok = await h.json('POST', '/v1/batches', { targets: { deviceIds: [d] }, action: command('echo ' + 'x'.repeat(95)) });
    expect(ok.status).toBe(201);
  });

  it('refuses a value above the protocol ceiling in the configuration', async () => {
    expect(() => loadServerConfig({ FLOTILLA_MAX_COMMAND_BYTES: String(65 * 1024) })).toThrow(/FLOTILLA_MAX_COMMAND_BYTES must be at most the protocol's ceiling of 65536 bytes/);
  });
});

describe('targets per batch', () => {
  it('answers 400 too_many_targets with the limit and the count, and writes nothing', async () => {
    const tag = unique('many');
    for (let i = 0; i < 4; i += 1) await addDevice(h, unique(`t${i}`), [tag]);
    const before = await h.counts();
    const res = await h.json('POST', '/v1/batches', { targets: { tags: [tag] }, action: command() });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'too_many_targets', details: { matched: 4, limit: 3 } });
    expect(res.body.error.message).toMatch(/FLOTILLA_MAX_TARGETS/);
    expect(await h.counts()).toEqual(before);
  });
});

describe('running batches per user', () => {
  it('answers 429 too_many_running_batches with Retry-After once a user has the maximum running; other users are not held back', async () => {
    const busy = await createUser(h, unique('busy'), 'operator');
    const other = await createUser(h, unique('other'), 'operator');
    const deviceOf = async (user: TestUser): Promise<string> => {
      const res = await h.json('POST', '/v1/devices', { name: unique('run') }, bearerOf(user));
      expect(res.status).toBe(201);
      return res.body.device.id;
    };
    const busyDevice = await deviceOf(busy);
    const otherDevice = await deviceOf(other);
    const create = (user: TestUser, device: string): Promise<{ status: number; body: Loose; headers: Headers }> =>
      h.json('POST', '/v1/batches', { targets: { deviceIds: [device] }, action: command() }, bearerOf(user));
    // Three at once: the per-owner lock lets exactly two through.
    const answers = await Promise.all([create(busy, busyDevice), create(busy, busyDevice), create(busy, busyDevice)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.body.error).toMatchObject({ code: 'too_many_running_batches', details: { limit: 2 } });
    expect(refused.headers.get('retry-after')).toBe('30');

    const before = await h.counts();
    const workflows = await runningWorkflows();
    expect((await create(busy, busyDevice)).status).toBe(429);
    expect(await h.counts()).toEqual(before);
    expect(await runningWorkflows()).toBe(workflows);

    expect((await create(other, otherDevice)).status).toBe(201);
    // A batch that ends frees a place.
    const first = answers.find((a) => a.status === 201)!;
    await h.db.handle.orm.execute(sql`update batches set status = 'cancelled' where id = ${first.body.batchId}`);
    expect((await create(busy, busyDevice)).status).toBe(201);
  });
});

describe('requests per token per second', () => {
  it('answers 429 rate_limited with Retry-After past the limit, keyed per token, and writes nothing', async () => {
    const app = createApp({ db: h.db.handle, temporal: h.client, config: { ...h.config, rateLimitRps: 5 }, logger: createLogger('limits-test', 'silent') });
    const post = (name: string, token = TEST_ADMIN_TOKEN): Promise<Response> =>
      Promise.resolve(
        app.request('/v1/devices', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) }),
      );
    const before = await h.db.handle.orm.$count(devices);
    const names = Array.from({ length: 8 }, (_, i) => unique(`rate${i}`));
    const answers = await Promise.all(names.map((n) => post(n)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    const refused = answers.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as Loose).error.code).toBe('rate_limited');
    expect(await h.db.handle.orm.$count(devices)).toBe(before + 5);

    // Another user's token has its own budget; a wrong token is answered by authentication (401).
    const operator = await createUser(h, unique('rate-op'), 'operator');
    expect((await post(unique('other'), operator.token)).status).toBe(201);
    expect((await post(unique('wrong'), 'some-other-token-0123456789')).status).toBe(401);
    // The window passes: the admin may write again.
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await post(unique('later'))).status).toBe(201);
  });
});
