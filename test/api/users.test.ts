// Users, roles and API tokens through the real app and a real database: who may create users and
// tokens, tokens shown once and stored hashed, revocation effective on the next request, the
// auditor's read-only role on every write route.
import { describe, expect, it } from 'vitest';
import { apiTokens } from '../../src/db/schema';
import { hashToken } from '../../src/security/secrets';
import { bearerOf, createUser, useCastSuite } from './users-fixtures';

const s = useCastSuite();

const as = bearerOf;

describe('POST /v1/users', () => {
  it('answers the user and a flt_ token shown once; only its sha256 is stored', async () => {
    const res = await s.h.json('POST', '/v1/users', { name: 'carol', role: 'operator' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ name: 'carol', role: 'operator', disabled: false });
    expect(res.body.token).toMatch(/^flt_[A-Za-z0-9_-]{43}$/);
    const rows = await s.h.db.handle.orm.select().from(apiTokens);
    const stored = rows.find((r) => r.id === res.body.tokenId);
    expect(stored?.tokenHash).toBe(hashToken(res.body.token));
    expect(JSON.stringify(rows)).not.toContain(res.body.token);
    const me = await s.h.json('GET', '/v1/me', undefined, { authorization: `Bearer ${res.body.token}` });
    expect(me.body).toEqual({ id: res.body.user.id, name: 'carol', role: 'operator', tokenId: res.body.tokenId });
  });

  it('refuses a duplicate or reserved name with 409 and bad roles with 400', async () => {
    expect((await s.h.json('POST', '/v1/users', { name: 'alice', role: 'operator' })).status).toBe(409);
    expect((await s.h.json('POST', '/v1/users', { name: 'admin', role: 'admin' })).status).toBe(409);
    const bad = await s.h.json('POST', '/v1/users', { name: 'dave', role: 'root' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_error');
  });

  it('is for admins only: an operator gets 403, an auditor 403', async () => {
    const op = await s.h.json('POST', '/v1/users', { name: 'eve', role: 'admin' }, as(s.alice));
    expect(op.status).toBe(403);
    expect(op.body.error.code).toBe('forbidden');
    expect((await s.h.json('POST', '/v1/users', { name: 'eve', role: 'admin' }, as(s.audra))).status).toBe(403);
  });

  it('a user created with the admin role can create users too', async () => {
    const root = await createUser(s.h, 'root2', 'admin');
    expect((await s.h.json('POST', '/v1/users', { name: 'frank', role: 'auditor' }, as(root))).status).toBe(201);
  });
});

describe('GET /v1/users', () => {
  it('admins and auditors see everyone; an operator sees only themselves', async () => {
    const all = await s.h.json('GET', '/v1/users?limit=200');
    expect(all.body.items.map((u: { name: string }) => u.name)).toEqual(expect.arrayContaining(['alice', 'bob', 'audra']));
    const audited = await s.h.json('GET', '/v1/users?limit=200', undefined, as(s.audra));
    expect(audited.body.items).toHaveLength(all.body.items.length);
    const own = await s.h.json('GET', '/v1/users', undefined, as(s.alice));
    expect(own.body.items.map((u: { id: string }) => u.id)).toEqual([s.alice.id]);
  });
});

describe('tokens', () => {
  it('an operator mints, lists and revokes their own tokens; the revoked one is a 401 on the next request', async () => {
    const minted = await s.h.json('POST', `/v1/users/${s.alice.id}/tokens`, { name: 'laptop' }, as(s.alice));
    expect(minted.status).toBe(201);
    const laptop = { authorization: `Bearer ${minted.body.token}` };
    expect((await s.h.call('GET', '/v1/devices', undefined, laptop)).status).toBe(200);
    const listed = await s.h.json('GET', `/v1/users/${s.alice.id}/tokens`, undefined, as(s.alice));
    expect(listed.body.items.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['default', 'laptop']));
    expect(JSON.stringify(listed.body)).not.toContain(minted.body.token);
    const used = listed.body.items.find((t: { id: string }) => t.id === minted.body.tokenId);
    expect(used.lastUsedAt).not.toBeNull();
    expect((await s.h.call('DELETE', `/v1/tokens/${minted.body.tokenId}`, undefined, as(s.alice))).status).toBe(204);
    const after = await s.h.json('GET', '/v1/devices', undefined, laptop);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
    // Her other token still works; revoking twice is no error.
    expect((await s.h.call('GET', '/v1/devices', undefined, as(s.alice))).status).toBe(200);
    expect((await s.h.call('DELETE', `/v1/tokens/${minted.body.tokenId}`, undefined, as(s.alice))).status).toBe(204);
  });

  it("another user's tokens answer 404 to an operator, like a missing user", async () => {
    expect((await s.h.json('POST', `/v1/users/${s.bob.id}/tokens`, {}, as(s.alice))).status).toBe(404);
    expect((await s.h.json('GET', `/v1/users/${s.bob.id}/tokens`, undefined, as(s.alice))).status).toBe(404);
    expect((await s.h.json('DELETE', `/v1/tokens/${s.bob.tokenId}`, undefined, as(s.alice))).status).toBe(404);
    expect((await s.h.call('GET', '/v1/devices', undefined, as(s.bob))).status).toBe(200);
  });

  it('an admin mints and revokes anyone’s token; an auditor reads token lists but may not revoke', async () => {
    const minted = await s.h.json('POST', `/v1/users/${s.bob.id}/tokens`, { name: 'ci' });
    expect(minted.status).toBe(201);
    expect((await s.h.json('GET', `/v1/users/${s.bob.id}/tokens`, undefined, as(s.audra))).status).toBe(200);
    const denied = await s.h.json('DELETE', `/v1/tokens/${minted.body.tokenId}`, undefined, as(s.audra));
    expect(denied.status).toBe(403);
    expect((await s.h.call('GET', '/v1/devices', undefined, { authorization: `Bearer ${minted.body.token}` })).status).toBe(200);
    expect((await s.h.call('DELETE', `/v1/tokens/${minted.body.tokenId}`)).status).toBe(204);
    expect((await s.h.call('GET', '/v1/devices', undefined, { authorization: `Bearer ${minted.body.token}` })).status).toBe(401);
  });

  it('a missing or unknown token is a 401', async () => {
    expect((await s.h.app.request('/v1/devices')).status).toBe(401);
    expect((await s.h.call('GET', '/v1/devices', undefined, { authorization: `Bearer flt_${'A'.repeat(43)}` })).status).toBe(401);
  });
});

describe('PATCH /v1/users/:id', () => {
  it('an admin disables a user (every token refused at once), re-enables them, and changes roles; operators may not', async () => {
    const dan = await createUser(s.h, 'dan', 'operator');
    expect((await s.h.call('GET', '/v1/devices', undefined, bearerOf(dan))).status).toBe(200);
    const off = await s.h.json('PATCH', `/v1/users/${dan.id}`, { disabled: true });
    expect(off.body.user).toMatchObject({ id: dan.id, disabled: true });
    expect((await s.h.call('GET', '/v1/devices', undefined, bearerOf(dan))).status).toBe(401);
    expect((await s.h.json('PATCH', `/v1/users/${dan.id}`, { disabled: false, role: 'auditor' })).status).toBe(200);
    expect((await s.h.call('GET', '/v1/devices', undefined, bearerOf(dan))).status).toBe(200);
    expect((await s.h.json('POST', '/v1/devices', { name: 'd' }, bearerOf(dan))).status).toBe(403);
    expect((await s.h.json('PATCH', `/v1/users/${dan.id}`, { role: 'admin' }, bearerOf(s.alice))).status).toBe(403);
    expect((await s.h.json('PATCH', `/v1/users/${s.alice.id}`, { role: 'admin' }, bearerOf(s.alice))).status).toBe(403);
    expect((await s.h.json('PATCH', `/v1/users/${dan.id}`, {})).status).toBe(400);
    expect((await s.h.json('PATCH', '/v1/users/00000000-0000-4000-8000-000000000000', { disabled: true })).status).toBe(404);
  });
});

describe('the auditor role', () => {
  it('reads every list but every write method answers 403 forbidden and writes nothing', async () => {
    for (const path of ['/v1/devices', '/v1/groups', '/v1/batches', '/v1/users', '/v1/audit']) {
      expect((await s.h.call('GET', path, undefined, as(s.audra))).status, path).toBe(200);
    }
    const before = await s.h.json('GET', '/v1/audit?limit=200');
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, path, body] of [
      ['POST', '/v1/devices', { name: 'spy' }],
      ['PATCH', `/v1/devices/${id}`, { name: 'x' }],
      ['DELETE', `/v1/devices/${id}`, undefined],
      ['POST', '/v1/groups', { name: 'g' }],
      ['PUT', `/v1/groups/${id}/devices`, { deviceIds: [] }],
      ['POST', '/v1/batches', { targets: { tags: ['x'] }, action: { type: 'command', command: 'true' } }],
      ['POST', `/v1/batches/${id}/cancel`, undefined],
      ['POST', `/v1/users/${s.audra.id}/tokens`, {}],
      ['DELETE', `/v1/tokens/${s.audra.tokenId}`, undefined],
      ['POST', '/v1/anything-added-later', {}],
    ] as const) {
      const res = await s.h.json(method, path, body, as(s.audra));
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect(await s.h.counts()).toEqual({ batches: 0, executions: 0 });
    const after = await s.h.json('GET', '/v1/audit?limit=200');
    expect(after.body.items).toHaveLength(before.body.items.length);
  });
});
