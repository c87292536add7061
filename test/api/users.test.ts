// Users, roles and API tokens through the real app and a real database: who may create users and
// tokens, tokens shown once and stored hashed, revocation effective on the next request, the
// auditor's read-only role on every write route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '../../src/db/schema';
import { hashToken } from '../../src/security/secrets';
import { startHarness, type Harness } from './harness';
import { bearerOf, createUser, type TestUser } from './users-fixtures';

let h: Harness;
let alice: TestUser;
let bob: TestUser;
let audra: TestUser;
beforeAll(async () => {
  h = await startHarness();
  alice = await createUser(h, 'alice', 'operator');
  bob = await createUser(h, 'bob', 'operator');
  audra = await createUser(h, 'audra', 'auditor');
});
afterAll(async () => {
  await h.close();
});

const as = bearerOf;

describe('POST /v1/users', () => {
  it('answers the user and a flt_ token shown once; only its sha256 is stored', async () => {
    const res = await h.json('POST', '/v1/users', { name: 'carol', role: 'operator' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ name: 'carol', role: 'operator', disabled: false });
    expect(res.body.token).toMatch(/^flt_[A-Za-z0-9_-]{43}$/);
    const rows = await h.db.handle.db.select().from(apiTokens);
    const stored = rows.find((r) => r.id === res.body.tokenId);
    expect(stored?.tokenHash).toBe(hashToken(res.body.token));
    expect(JSON.stringify(rows)).not.toContain(res.body.token);
    const me = await h.json('GET', '/v1/me', undefined, { authorization: `Bearer ${res.body.token}` });
    expect(me.body).toEqual({ id: res.body.user.id, name: 'carol', role: 'operator', tokenId: res.body.tokenId });
  });

  it('refuses a duplicate or reserved name with 409 and bad roles with 400', async () => {
    expect((await h.json('POST', '/v1/users', { name: 'alice', role: 'operator' })).status).toBe(409);
    expect((await h.json('POST', '/v1/users', { name: 'admin', role: 'admin' })).status).toBe(409);
    const bad = await h.json('POST', '/v1/users', { name: 'dave', role: 'root' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_error');
  });

  it('is for admins only: an operator gets 403, an auditor 403', async () => {
    const op = await h.json('POST', '/v1/users', { name: 'eve', role: 'admin' }, as(alice));
    expect(op.status).toBe(403);
    expect(op.body.error.code).toBe('forbidden');
    expect((await h.json('POST', '/v1/users', { name: 'eve', role: 'admin' }, as(audra))).status).toBe(403);
  });

  it('a user created with the admin role can create users too', async () => {
    const root = await createUser(h, 'root2', 'admin');
    expect((await h.json('POST', '/v1/users', { name: 'frank', role: 'auditor' }, as(root))).status).toBe(201);
  });
});

describe('GET /v1/users', () => {
  it('admins and auditors see everyone; an operator sees only themselves', async () => {
    const all = await h.json('GET', '/v1/users?limit=200');
    expect(all.body.items.map((u: { name: string }) => u.name)).toEqual(expect.arrayContaining(['alice', 'bob', 'audra']));
    const audited = await h.json('GET', '/v1/users?limit=200', undefined, as(audra));
    expect(audited.body.items).toHaveLength(all.body.items.length);
    const own = await h.json('GET', '/v1/users', undefined, as(alice));
    expect(own.body.items.map((u: { id: string }) => u.id)).toEqual([alice.id]);
  });
});

describe('tokens', () => {
  it('an operator mints, lists and revokes their own tokens; the revoked one is a 401 on the next request', async () => {
    const minted = await h.json('POST', `/v1/users/${alice.id}/tokens`, { name: 'laptop' }, as(alice));
    expect(minted.status).toBe(201);
    const laptop = { authorization: `Bearer ${minted.body.token}` };
    expect((await h.call('GET', '/v1/devices', undefined, laptop)).status).toBe(200);
    const listed = await h.json('GET', `/v1/users/${alice.id}/tokens`, undefined, as(alice));
    expect(listed.body.items.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['default', 'laptop']));
    expect(JSON.stringify(listed.body)).not.toContain(minted.body.token);
    const used = listed.body.items.find((t: { id: string }) => t.id === minted.body.tokenId);
    expect(used.lastUsedAt).not.toBeNull();
    expect((await h.call('DELETE', `/v1/tokens/${minted.body.tokenId}`, undefined, as(alice))).status).toBe(204);
    const after = await h.json('GET', '/v1/devices', undefined, laptop);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
    // Her other token still works; revoking twice is no error.
    expect((await h.call('GET', '/v1/devices', undefined, as(alice))).status).toBe(200);
    expect((await h.call('DELETE', `/v1/tokens/${minted.body.tokenId}`, undefined, as(alice))).status).toBe(204);
  });

  it("another user's tokens answer 404 to an operator, like a missing user", async () => {
    expect((await h.json('POST', `/v1/users/${bob.id}/tokens`, {}, as(alice))).status).toBe(404);
    expect((await h.json('GET', `/v1/users/${bob.id}/tokens`, undefined, as(alice))).status).toBe(404);
    expect((await h.json('DELETE', `/v1/tokens/${bob.tokenId}`, undefined, as(alice))).status).toBe(404);
    expect((await h.call('GET', '/v1/devices', undefined, as(bob))).status).toBe(200);
  });

  it('an admin mints and revokes anyone’s token; an auditor reads token lists but may not revoke', async () => {
    const minted = await h.json('POST', `/v1/users/${bob.id}/tokens`, { name: 'ci' });
    expect(minted.status).toBe(201);
    expect((await h.json('GET', `/v1/users/${bob.id}/tokens`, undefined, as(audra))).status).toBe(200);
    const denied = await h.json('DELETE', `/v1/tokens/${minted.body.tokenId}`, undefined, as(audra));
    expect(denied.status).toBe(403);
    expect((await h.call('GET', '/v1/devices', undefined, { authorization: `Bearer ${minted.body.token}` })).status).toBe(200);
    expect((await h.call('DELETE', `/v1/tokens/${minted.body.tokenId}`)).status).toBe(204);
    expect((await h.call('GET', '/v1/devices', undefined, { authorization: `Bearer ${minted.body.token}` })).status).toBe(401);
  });

  it('a missing or unknown token is a 401', async () => {
    expect((await h.app.request('/v1/devices')).status).toBe(401);
    expect((await h.call('GET', '/v1/devices', undefined, { authorization: `Bearer flt_${'A'.repeat(43)}` })).status).toBe(401);
  });
});

describe('PATCH /v1/users/:id', () => {
  it('an admin disables a user (every token refused at once), re-enables them, and changes roles; operators may not', async () => {
    const dan = await createUser(h, 'dan', 'operator');
    expect((await h.call('GET', '/v1/devices', undefined, bearerOf(dan))).status).toBe(200);
    const off = await h.json('PATCH', `/v1/users/${dan.id}`, { disabled: true });
    expect(off.body.user).toMatchObject({ id: dan.id, disabled: true });
    expect((await h.call('GET', '/v1/devices', undefined, bearerOf(dan))).status).toBe(401);
    expect((await h.json('PATCH', `/v1/users/${dan.id}`, { disabled: false, role: 'auditor' })).status).toBe(200);
    expect((await h.call('GET', '/v1/devices', undefined, bearerOf(dan))).status).toBe(200);
    expect((await h.json('POST', '/v1/devices', { name: 'd' }, bearerOf(dan))).status).toBe(403);
    expect((await h.json('PATCH', `/v1/users/${dan.id}`, { role: 'admin' }, bearerOf(alice))).status).toBe(403);
    expect((await h.json('PATCH', `/v1/users/${alice.id}`, { role: 'admin' }, bearerOf(alice))).status).toBe(403);
    expect((await h.json('PATCH', `/v1/users/${dan.id}`, {})).status).toBe(400);
    expect((await h.json('PATCH', '/v1/users/00000000-0000-4000-8000-000000000000', { disabled: true })).status).toBe(404);
  });
});

describe('the auditor role', () => {
  it('reads every list but every write method answers 403 forbidden and writes nothing', async () => {
    for (const path of ['/v1/devices', '/v1/groups', '/v1/batches', '/v1/users', '/v1/audit']) {
      expect((await h.call('GET', path, undefined, as(audra))).status, path).toBe(200);
    }
    const before = await h.json('GET', '/v1/audit?limit=200');
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, path, body] of [
      ['POST', '/v1/devices', { name: 'spy' }],
      ['PATCH', `/v1/devices/${id}`, { name: 'x' }],
      ['DELETE', `/v1/devices/${id}`, undefined],
      ['POST', '/v1/groups', { name: 'g' }],
      ['PUT', `/v1/groups/${id}/devices`, { deviceIds: [] }],
      ['POST', '/v1/batches', { targets: { tags: ['x'] }, action: { type: 'command', command: 'true' } }],
      ['POST', `/v1/batches/${id}/cancel`, undefined],
      ['POST', `/v1/users/${audra.id}/tokens`, {}],
      ['DELETE', `/v1/tokens/${audra.tokenId}`, undefined],
      ['POST', '/v1/anything-added-later', {}],
    ] as const) {
      const res = await h.json(method, path, body, as(audra));
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect(await h.counts()).toEqual({ batches: 0, executions: 0 });
    const after = await h.json('GET', '/v1/audit?limit=200');
    expect(after.body.items).toHaveLength(before.body.items.length);
  });
});
