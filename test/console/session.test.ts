// The web console's server side through the real app: sign-in sets an HttpOnly, SameSite=Strict
// cookie whose session stands for the token (only hashes stored), writes need the CSRF token, roles
// and revocation still hold, sign-out and expiry end it; the console's page carries a strict CSP.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../src/console/build';
import { consoleSessions } from '../../src/db/schema';
import { hashToken } from '../../src/security/secrets';
import { startHarness, type Harness } from '../api/harness';
import { bearerOf, createUser, type TestUser } from '../api/users-fixtures';

let h: Harness;
let alice: TestUser;
let audra: TestUser;

beforeAll(async () => {
  await ensureConsoleBuilt();
  h = await startHarness();
  alice = await createUser(h, 'alice', 'operator');
  audra = await createUser(h, 'audra', 'auditor');
});
afterAll(async () => h?.close());

interface SignedIn {
  cookie: string;
  csrf: string;
  setCookie: string;
}

async function signIn(token: string): Promise<SignedIn> {
  const res = await h.app.request('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  expect(res.status).toBe(201);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: setCookie.split(';')[0]!, csrf: body.csrfToken, setCookie };
}

function withCookie(s: SignedIn, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    h.app.request(path, {
      method,
      headers: { cookie: s.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

describe('console sessions', () => {
  it('refuses a wrong token and sets no cookie', async () => {
    const res = await h.app.request('/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'flt_nope' }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('sets an HttpOnly SameSite=Strict cookie and stores only hashes', async () => {
    const s = await signIn(alice.token);
    expect(s.setCookie).toMatch(/HttpOnly/);
    expect(s.setCookie).toMatch(/SameSite=Strict/);
    expect(s.setCookie).toMatch(/Path=\//);
    const sessionId = s.cookie.split('=')[1]!;
    const audit = await h.json('GET', '/v1/audit?action=session.sign_in&actor=' + alice.id);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ actor: { id: alice.id, tokenId: alice.tokenId }, resource: { type: 'session', id: alice.tokenId } });
    expect(JSON.stringify(audit.body.items[0])).not.toContain(alice.token);
    const rows = await h.db.handle.orm.select().from(consoleSessions).where(eq(consoleSessions.idHash, hashToken(sessionId)));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashToken(alice.token));
    const raw = JSON.stringify(await h.db.handle.orm.select().from(consoleSessions));
    expect(raw).not.toContain(sessionId);
    expect(raw).not.toContain(alice.token);
    expect(raw).not.toContain(s.csrf);
    const me = await withCookie(s, 'GET', '/v1/session');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ principal: { id: alice.id, name: 'alice', role: 'operator' }, csrfToken: s.csrf });
  });

  it('needs the CSRF token for writes by cookie, not for reads', async () => {
    const s = await signIn(alice.token);
    expect((await withCookie(s, 'GET', '/v1/devices')).status).toBe(200);
    const none = await withCookie(s, 'POST', '/v1/devices', { name: 'csrf-none' });
    expect(none.status).toBe(403);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const wrong = await withCookie(s, 'POST', '/v1/devices', { name: 'csrf-wrong' }, { 'x-csrf-token': 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    const other = await signIn(alice.token);
    expect((await withCookie(s, 'POST', '/v1/devices', { name: 'csrf-other' }, { 'x-csrf-token': other.csrf })).status).toBe(403);
    const ok = await withCookie(s, 'POST', '/v1/devices', { name: 'csrf-ok' }, { 'x-csrf-token': s.csrf });
    expect(ok.status).toBe(201);
    const list = await h.json('GET', '/v1/devices?q=csrf-', undefined, bearerOf(alice));
    expect(list.body.items.map((d: { name: string }) => d.name)).toEqual(['csrf-ok']);
  });

  it('keeps roles: an auditor signed in by cookie writes nothing, but may sign out', async () => {
    const s = await signIn(audra.token);
    const res = await withCookie(s, 'POST', '/v1/devices', { name: 'by-auditor' }, { 'x-csrf-token': s.csrf });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await withCookie(s, 'DELETE', '/v1/session', undefined, { 'x-csrf-token': s.csrf })).status).toBe(204);
    expect((await withCookie(s, 'GET', '/v1/devices')).status).toBe(401);
  });

  it('ends with the token: a revoked token or a sign-out or expiry is a 401', async () => {
    const bob = await createUser(h, 'bob', 'operator');
    const s = await signIn(bob.token);
    expect((await withCookie(s, 'GET', '/v1/devices')).status).toBe(200);
    expect((await h.json('DELETE', `/v1/tokens/${bob.tokenId}`)).status).toBe(204);
    expect((await withCookie(s, 'GET', '/v1/devices')).status).toBe(401);

    const a = await signIn(alice.token);
    expect((await withCookie(a, 'DELETE', '/v1/session')).status).toBe(403);
    const out = await withCookie(a, 'DELETE', '/v1/session', undefined, { 'x-csrf-token': a.csrf });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/flotilla_session=;/);
    const signedOut = await h.json('GET', `/v1/audit?action=session.sign_out&actor=${alice.id}`);
    expect(signedOut.body.items).toHaveLength(1);
    expect((await withCookie(a, 'GET', '/v1/devices')).status).toBe(401);
    const sessionId = a.cookie.split('=')[1]!;
    expect(await h.db.handle.orm.select().from(consoleSessions).where(eq(consoleSessions.idHash, hashToken(sessionId)))).toHaveLength(0);

    const e = await signIn(alice.token);
    const eid = hashToken(e.cookie.split('=')[1]!);
    await h.db.handle.orm.update(consoleSessions).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(consoleSessions.idHash, eid));
    expect((await withCookie(e, 'GET', '/v1/devices')).status).toBe(401);
  });

  it('previews targets as a batch would resolve them, scoped to the caller', async () => {
    const mine = await h.json('POST', '/v1/devices', { name: 'pv-1', tags: ['pv'] }, bearerOf(alice));
    await h.json('POST', '/v1/devices', { name: 'pv-2', tags: ['pv', 'x'] }, bearerOf(alice));
    await h.json('POST', '/v1/devices', { name: 'pv-admin', tags: ['pv'] });
    const byTag = await h.json('GET', '/v1/targets/preview?tag=pv', undefined, bearerOf(alice));
    expect(byTag.status).toBe(200);
    expect(byTag.body).toMatchObject({ matched: 2, devices: [{ name: 'pv-1' }, { name: 'pv-2' }], unknownDeviceIds: [], unknownGroupIds: [] });
    const asAdmin = await h.json('GET', '/v1/targets/preview?tag=pv&tag=x');
    expect(asAdmin.body.matched).toBe(1);
    const byId = await h.json('GET', `/v1/targets/preview?deviceId=${mine.body.device.id}&tag=x`, undefined, bearerOf(alice));
    expect(byId.body.matched).toBe(2);
    expect((await h.json('GET', '/v1/targets/preview?deviceId=nope')).status).toBe(400);
  });
});

describe('console files', () => {
  it('serves the page with a CSP that forbids inline script, and no inline script', async () => {
    const res = await h.app.request('/');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).toMatch(/<script type="module" src="\/assets\/app.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const js = await h.app.request('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('content-security-policy')).toBe(csp);
    expect((await h.app.request('/assets/..%2Fpackage.json')).status).toBe(404);
  });
});
