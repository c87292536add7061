// Enrollment keys (create once-shown, list, show uses left, revoke) and POST /v1/enroll: a key's device
// belongs to its owner and joins its tags and groups; the same machine enrolls back into its device with
// a new token; revoked, expired and used-up keys are refused; concurrent enrollments never overshoot.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, devices, groupMembers } from '../../src/db/schema';
import { hashToken } from '../../src/security/secrets';
import { createApp } from '../../src/api';
import { createLogger } from '../../src/logger';
import { startHarness, type Harness, type Loose } from './harness';
import { bearerOf, createUser, type TestUser } from './users-fixtures';

let h: Harness;
let alice: TestUser;
let bob: TestUser;
let audra: TestUser;

beforeAll(async () => {
  // Requests come faster in process than from any network; the limit has its own test below.
  h = await startHarness({ FLOTILLA_ENROLL_RATE_PER_MIN: '0' });
  alice = await createUser(h, 'alice', 'operator');
  bob = await createUser(h, 'bob', 'operator');
  audra = await createUser(h, 'audra', 'auditor');
});
afterAll(async () => {
  await h.close();
});

const FACTS = { hostname: 'host-1', os: 'Linux 6.1', arch: 'x64', agentVersion: '0.1.0', protocolVersion: 1 };
const unique = (p: string): string => `${p}-${randomUUID().slice(0, 8)}`;

async function newKey(user: TestUser, body: Record<string, unknown> = {}): Promise<{ id: string; key: string; body: Loose }> {
  const res = await h.json('POST', '/v1/enrollment-keys', { name: unique('key'), ...body }, bearerOf(user));
  expect(res.status).toBe(201);
  return { id: res.body.enrollmentKey.id, key: res.body.key, body: res.body };
}

/** POST /v1/enroll with no bearer token, as an agent does. */
async function enroll(body: Record<string, unknown>): Promise<{ status: number; body: Loose }> {
  const res = await h.app.request('/v1/enroll', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const request = (key: string, extra: Record<string, unknown> = {}) => ({ key, machineId: unique('machine-id'), name: unique('dev'), facts: FACTS, ...extra });

describe('enrollment keys', () => {
  it('shows the key once, stores only its hash, and lists and reads it with its uses left', async () => {
    const created = await newKey(alice, { tags: ['edge'], maxUses: 3 });
    expect(created.key).toMatch(/^fek_/);
    expect(created.body.enrollmentKey).toMatchObject({ owner: alice.id, tags: ['edge'], maxUses: 3, uses: 0, usesLeft: 3, status: 'active', revokedAt: null });
    const stored = JSON.stringify(await h.db.handle.orm.execute('select * from enrollment_keys'));
    expect(stored).not.toContain(created.key);
    expect(stored).toContain(hashToken(created.key));

    const shown = await h.json('GET', `/v1/enrollment-keys/${created.id}`, undefined, bearerOf(alice));
    expect(shown.body.enrollmentKey).toEqual(created.body.enrollmentKey);
    expect(JSON.stringify(shown.body)).not.toContain(created.key);
    const listed = await h.json('GET', '/v1/enrollment-keys', undefined, bearerOf(alice));
    expect(listed.body.items.map((k: Loose) => k.id)).toContain(created.id);
  });

  it('operators see only their own keys; auditors read all and create none', async () => {
    const mine = await newKey(alice);
    expect((await h.json('GET', `/v1/enrollment-keys/${mine.id}`, undefined, bearerOf(bob))).status).toBe(404);
    expect((await h.json('DELETE', `/v1/enrollment-keys/${mine.id}`, undefined, bearerOf(bob))).status).toBe(404);
    expect((await h.json('GET', `/v1/enrollment-keys/${mine.id}`, undefined, bearerOf(audra))).status).toBe(200);
    expect((await h.json('POST', '/v1/enrollment-keys', { name: 'x' }, bearerOf(audra))).status).toBe(403);
  });

  it('refuses bad input and groups that are not the caller\'s', async () => {
    const bad = await h.json('POST', '/v1/enrollment-keys', { name: '', maxUses: 0 }, bearerOf(alice));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_error');
    const bobsGroup = await h.json('POST', '/v1/groups', { name: unique('g') }, bearerOf(bob));
    const foreign = await h.json('POST', '/v1/enrollment-keys', { name: 'k', groupIds: [bobsGroup.body.group.id] }, bearerOf(alice));
    expect(foreign.status).toBe(404);
    const past = await h.json('POST', '/v1/enrollment-keys', { name: 'k', expiresAt: new Date(Date.now() - 1000).toISOString() }, bearerOf(alice));
    expect(past.status).toBe(400);
  });
});

describe('POST /v1/enroll', () => {
  it('creates a device of the key owner with the key tags and groups, answers its token, and audits it', async () => {
    const group = await h.json('POST', '/v1/groups', { name: unique('g') }, bearerOf(alice));
    const { key, id: keyId } = await newKey(alice, { tags: ['edge', 'eu'], groupIds: [group.body.group.id] });
    const body = request(key, { tags: ['rack-4'] });
    const res = await enroll(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: body.name, reenrolled: false, gatewayUrls: [expect.stringMatching(/^ws:\/\//)] });
    const [device] = await h.db.handle.orm.select().from(devices).where(eq(devices.id, res.body.deviceId));
    expect(device).toMatchObject({ owner: alice.id, name: body.name, hostname: 'host-1', tokenHash: hashToken(res.body.token) });
    expect([...device!.tags].sort()).toEqual(['edge', 'eu', 'rack-4']);
    const member = await h.db.handle.orm.select().from(groupMembers).where(and(eq(groupMembers.groupId, group.body.group.id), eq(groupMembers.deviceId, res.body.deviceId)));
    expect(member).toHaveLength(1);
    // Alice sees it; Bob does not.
    expect((await h.json('GET', `/v1/devices/${res.body.deviceId}`, undefined, bearerOf(alice))).status).toBe(200);
    expect((await h.json('GET', `/v1/devices/${res.body.deviceId}`, undefined, bearerOf(bob))).status).toBe(404);
    const [audit] = await h.db.handle.orm.select().from(auditLog).where(eq(auditLog.resourceId, res.body.deviceId));
    expect(audit).toMatchObject({ actorId: alice.id, action: 'device.enroll', status: 201, details: { enrollmentKeyId: keyId } });
    expect(JSON.stringify(audit)).not.toContain(key);
    expect(JSON.stringify(audit)).not.toContain(res.body.token);
    const shown = await h.json('GET', `/v1/enrollment-keys/${keyId}`, undefined, bearerOf(alice));
    expect(shown.body.enrollmentKey).toMatchObject({ uses: 1, usesLeft: null });
  });

  it('the same machine enrolls back into its device, never a duplicate, with a new token', async () => {
    const { key } = await newKey(alice);
    const body = request(key);
    const first = await enroll(body);
    const again = await enroll({ ...body, name: unique('other-name') });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ deviceId: first.body.deviceId, name: body.name, reenrolled: true });
    expect(again.body.token).not.toBe(first.body.token);
    const [device] = await h.db.handle.orm.select().from(devices).where(eq(devices.id, first.body.deviceId));
    expect(device!.tokenHash).toBe(hashToken(again.body.token));
    expect(await h.db.handle.orm.$count(devices, eq(devices.owner, alice.id))).toBeGreaterThan(0);
    const sameName = await h.db.handle.orm.select().from(devices).where(eq(devices.name, body.name));
    expect(sameName).toHaveLength(1);
  });

  it('concurrent enrollments of one machine make one device', async () => {
    const { key } = await newKey(alice);
    const body = request(key);
    const answers = await Promise.all(Array.from({ length: 8 }, () => enroll(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body.deviceId)).size).toBe(1);
    expect(await h.db.handle.orm.$count(devices, eq(devices.name, body.name))).toBe(1);
  });

  it('a key with maxUses admits exactly that many of 50 machines enrolling at once', async () => {
    const { key, id } = await newKey(alice, { maxUses: 40 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => enroll(request(key))));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(40);
    expect(statuses.filter((s) => s === 403)).toHaveLength(10);
    expect(answers.find((a) => a.status === 403)!.body.error.code).toBe('enrollment_key_used_up');
    const shown = await h.json('GET', `/v1/enrollment-keys/${id}`, undefined, bearerOf(alice));
    expect(shown.body.enrollmentKey).toMatchObject({ uses: 40, usesLeft: 0, status: 'used_up' });
  });

  it('refuses revoked, expired and unknown keys with a clear 4xx, creating nothing', async () => {
    const revoked = await newKey(alice);
    expect((await h.json('DELETE', `/v1/enrollment-keys/${revoked.id}`, undefined, bearerOf(alice))).status).toBe(204);
    expect((await h.json('DELETE', `/v1/enrollment-keys/${revoked.id}`, undefined, bearerOf(alice))).status).toBe(204);
    const revokedRequest = request(revoked.key);
    const r = await enroll(revokedRequest);
    expect(r).toMatchObject({ status: 403, body: { error: { code: 'enrollment_key_revoked', message: expect.stringContaining('revoked') } } });
    // The refusal is audited under the key's owner; nothing was created.
    const audited = await h.db.handle.orm.select().from(auditLog).where(eq(auditLog.actorId, alice.id));
    const refusal = audited.find((a) => (a.details as Loose)?.machineId === revokedRequest.machineId);
    expect(refusal).toMatchObject({ action: 'device.enroll', status: 403, resourceId: null, details: { enrollmentKeyId: revoked.id, refusal: 'revoked' } });
    expect(await h.db.handle.orm.$count(devices, eq(devices.name, revokedRequest.name))).toBe(0);

    const expiring = await newKey(alice, { expiresAt: new Date(Date.now() + 1500).toISOString() });
    await new Promise((res) => setTimeout(res, 1600));
    const e = await enroll(request(expiring.key));
    expect(e).toMatchObject({ status: 403, body: { error: { code: 'enrollment_key_expired' } } });
    expect((await h.json('GET', `/v1/enrollment-keys/${expiring.id}`, undefined, bearerOf(alice))).body.enrollmentKey).toMatchObject({ uses: 0, status: 'expired' });

    const unknown = await enroll(request(`fek_${'x'.repeat(32)}`));
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'enrollment_key_invalid' } } });
    const invalid = await enroll({ key: revoked.key });
    expect(invalid.status).toBe(400);
  });

  it('is rate limited per client address, with Retry-After', async () => {
    const limited = createApp({ db: h.db.handle, temporal: h.client, config: { ...h.config, enrollRatePerMin: 3 }, logger: createLogger('api-test', 'silent') });
    const { key } = await newKey(alice);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await limited.request('/v1/enroll', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request(key)) });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(((await res.json()) as Loose).error.code).toBe('rate_limited');
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
