// The audit log through the real app and database: one entry per successful write of every kind,
// with who, what, when and from where; batch starts carry the command and targets, never env
// values; failed writes and reads leave none; operators see their own entries only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../src/api';
import { createLogger } from '../../src/logger';
import { command } from './batch-fixtures';
import { startHarness, type Harness, type Loose } from './harness';
import { bearerOf, createUser, type TestUser } from './users-fixtures';

let h: Harness;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  h = await startHarness();
  alice = await createUser(h, 'alice', 'operator');
  bob = await createUser(h, 'bob', 'operator');
});
afterAll(async () => {
  await h.close();
});

/** The newest audit entry for this action and resource, as the admin sees it. */
async function entry(action: string, resourceId: string): Promise<Loose> {
  const res = await h.json('GET', `/v1/audit?action=${action}&resourceId=${resourceId}`);
  expect(res.status).toBe(200);
  expect(res.body.items, `${action} ${resourceId}`).toHaveLength(1);
  return res.body.items[0];
}

describe('an entry for every write', () => {
  it('devices, groups and batches: create, update, delete, start, cancel, each with actor, token, resource and request', async () => {
    const as = bearerOf(alice);
    const device = (await h.json('POST', '/v1/devices', { name: 'web-1', tags: ['web'] }, as)).body.device.id;
    expect(await entry('device.create', device)).toMatchObject({
      actor: { id: alice.id, name: 'alice', tokenId: alice.tokenId },
      resource: { type: 'device', id: device },
      request: { method: 'POST', path: '/v1/devices', status: 201 },
    });
    expect((await h.json('PATCH', `/v1/devices/${device}`, { tags: ['web', 'eu'] }, as)).status).toBe(200);
    expect((await entry('device.update', device)).request).toMatchObject({ method: 'PATCH', status: 200 });

    const group = (await h.json('POST', '/v1/groups', { name: 'web', deviceIds: [device] }, as)).body.group.id;
    await entry('group.create', group);
    expect((await h.json('PUT', `/v1/groups/${group}/devices`, { deviceIds: [device] }, as)).status).toBe(200);
    await entry('group.devices', group);

    const start = await h.json(
      'POST',
      '/v1/batches',
      { targets: { groupIds: [group], tags: ['eu'] }, action: command('systemctl restart nginx', { env: { DB_PASSWORD: 'hunter2-secret' } }) },
      as,
    );
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    const started = await entry('batch.start', start.body.batchId);
    expect(started.details).toMatchObject({
      action: { type: 'command', command: 'systemctl restart nginx', envKeys: ['DB_PASSWORD'] },
      targets: { groupIds: [group], tags: ['eu'] },
      targetCount: 1,
    });
    expect(JSON.stringify(started)).not.toContain('hunter2-secret');
    expect(started.details.action).not.toHaveProperty('envSealed');

    expect((await h.json('POST', `/v1/batches/${start.body.batchId}/cancel`, undefined, as)).status).toBe(202);
    expect(await entry('batch.cancel', start.body.batchId)).toMatchObject({ actor: { id: alice.id }, request: { path: `/v1/batches/${start.body.batchId}/cancel` } });

    expect((await h.call('DELETE', `/v1/groups/${group}`, undefined, as)).status).toBe(204);
    await entry('group.delete', group);
    expect((await h.call('DELETE', `/v1/devices/${device}`, undefined, as)).status).toBe(204);
    await entry('device.delete', device);
  });

  it('users and tokens: create, mint, revoke; the token itself never appears', async () => {
    const carol = await createUser(h, 'carol', 'operator');
    const created = await entry('user.create', carol.id);
    expect(created).toMatchObject({ actor: { id: 'admin', name: 'admin', tokenId: null }, details: { name: 'carol', role: 'operator' } });
    const minted = await h.json('POST', `/v1/users/${carol.id}/tokens`, { name: 'ci' }, bearerOf(carol));
    expect(await entry('token.create', minted.body.tokenId)).toMatchObject({ actor: { id: carol.id }, details: { userId: carol.id, name: 'ci' } });
    expect((await h.call('DELETE', `/v1/tokens/${minted.body.tokenId}`, undefined, bearerOf(carol))).status).toBe(204);
    await entry('token.revoke', minted.body.tokenId);
    const all = JSON.stringify((await h.json('GET', '/v1/audit?limit=200')).body);
    expect(all).not.toContain(minted.body.token);
    expect(all).not.toContain(carol.token);
  });

  it('failed writes and reads leave no entry', async () => {
    const before = (await h.json('GET', '/v1/audit?limit=200')).body.items.length;
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await h.call('PATCH', `/v1/devices/${missing}`, { name: 'x' }, bearerOf(alice))).status).toBe(404);
    expect((await h.call('POST', '/v1/devices', { name: '' }, bearerOf(alice))).status).toBe(400);
    expect((await h.call('POST', '/v1/batches', { targets: { deviceIds: [missing] }, action: command() }, bearerOf(alice))).status).toBe(400);
    expect((await h.call('GET', '/v1/devices', undefined, bearerOf(alice))).status).toBe(200);
    expect((await h.json('GET', '/v1/audit?limit=200')).body.items).toHaveLength(before);
  });
});

describe('GET /v1/audit', () => {
  it('shows an operator their own entries only; admins and auditors see everyone’s; filters by actor, resource and since', async () => {
    const since = new Date().toISOString();
    await h.json('POST', '/v1/devices', { name: 'bob-1' }, bearerOf(bob));
    await h.json('POST', '/v1/devices', { name: 'alice-9' }, bearerOf(alice));
    const bobs = await h.json('GET', '/v1/audit?limit=200', undefined, bearerOf(bob));
    expect(bobs.body.items.length).toBeGreaterThan(0);
    expect(new Set(bobs.body.items.map((e: Loose) => e.actor.id))).toEqual(new Set([bob.id]));
    expect((await h.json('GET', `/v1/audit?actor=${alice.id}`, undefined, bearerOf(bob))).body.items).toEqual([]);
    const recent = await h.json('GET', `/v1/audit?since=${encodeURIComponent(since)}&resource=device`);
    expect(recent.body.items.map((e: Loose) => e.actor.name).sort()).toEqual(['alice', 'bob']);
    const auditor = await createUser(h, 'audra', 'auditor');
    const seen = await h.json('GET', `/v1/audit?since=${encodeURIComponent(since)}&resource=device`, undefined, bearerOf(auditor));
    expect(seen.body.items).toEqual(recent.body.items);
    const byAlice = await h.json('GET', `/v1/audit?actor=${alice.id}&limit=200`);
    expect(byAlice.body.items.every((e: Loose) => e.actor.id === alice.id)).toBe(true);
  });

  it('pages newest first with a cursor, no entry repeated or skipped', async () => {
    const all = (await h.json('GET', '/v1/audit?limit=200')).body.items.map((e: Loose) => e.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Loose } = await h.json('GET', `/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...res.body.items.map((e: Loose) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    const times = (await h.json('GET', '/v1/audit?limit=200')).body.items.map((e: Loose) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect((await h.json('GET', '/v1/audit?cursor=not-a-cursor')).body.error.code).toBe('invalid_cursor');
  });
});

describe('where a write came from', () => {
  async function ipOfWrite(trustProxy: boolean): Promise<string | null> {
    const config = { ...h.config, trustProxy };
    const api = await startApi({ db: h.db.handle, temporal: h.client, config, logger: createLogger('t', 'silent'), port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`${api.url}/v1/devices`, {
        method: 'POST',
        headers: { ...bearerOf(alice), 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7, 198.51.100.9' },
        body: JSON.stringify({ name: `ip-${String(trustProxy)}` }),
      });
      const id = ((await res.json()) as Loose).device.id;
      return (await entry('device.create', id)).request.clientIp;
    } finally {
      await api.stop();
    }
  }

  it('is the socket peer, X-Forwarded-For ignored, unless the server trusts its proxy (then the hop the proxy added)', async () => {
    expect(await ipOfWrite(false)).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(await ipOfWrite(true)).toBe('198.51.100.9');
  });
});
