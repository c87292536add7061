import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices } from '../../src/db/schema';
import { hashToken } from '../../src/security/secrets';
import { startHarness, type Harness, type Loose } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FLOTILLA_HEARTBEAT_MS: '1000' });
});
afterAll(async () => {
  await h.close();
});

const unique = (p: string): string => `${p}-${randomUUID().slice(0, 8)}`;

async function addDevice(body: Record<string, unknown>): Promise<{ device: Loose; agentToken: string }> {
  const res = await h.json('POST', '/v1/devices', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function listAll(query: string): Promise<Loose[]> {
  const res = await h.json('GET', `/v1/devices?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

describe('devices', () => {
  it('creates a device and shows its agent token once, storing only its hash', async () => {
    const name = unique('web');
    const { device, agentToken } = await addDevice({ name, hostname: 'web.example', tags: ['web', 'eu', 'web'] });
    expect(agentToken).toMatch(/^fla_[A-Za-z0-9_-]{32}$/);
    expect(device).toEqual({
      id: expect.any(String),
      // The bootstrap admin sees every owner's rows, so each shows its owner.
      owner: 'admin',
      name,
      hostname: 'web.example',
      tags: ['web', 'eu'],
      status: 'offline',
      lastSeenAt: null,
      facts: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const [row] = await h.db.handle.orm.select().from(devices).where(eq(devices.id, device.id));
    expect(row?.tokenHash).toBe(hashToken(agentToken));
    expect(row?.owner).toBe('admin');
    const again = await h.json('GET', `/v1/devices/${device.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ device });
    expect(JSON.stringify(again.body)).not.toContain(agentToken);
    expect(JSON.stringify(again.body)).not.toContain(row?.tokenHash);
  });

  it('refuses a duplicate name with 409', async () => {
    const name = unique('dup');
    await addDevice({ name });
    const res = await h.json('POST', '/v1/devices', { name });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(await h.db.handle.orm.$count(devices, eq(devices.name, name))).toBe(1);
  });

  it('patches name, hostname and tags, and answers 409 on a taken name and 404 on an unknown id', async () => {
    const { device } = await addDevice({ name: unique('p'), tags: ['a'] });
    const other = await addDevice({ name: unique('q') });
    const newName = unique('renamed');
    const res = await h.json('PATCH', `/v1/devices/${device.id}`, { name: newName, hostname: 'h1', tags: ['b', 'c', 'b'] });
    expect(res.status).toBe(200);
    expect(res.body.device).toMatchObject({ id: device.id, name: newName, hostname: 'h1', tags: ['b', 'c'] });
    expect(Date.parse(res.body.device.updatedAt)).toBeGreaterThanOrEqual(Date.parse(device.updatedAt));
    const cleared = await h.json('PATCH', `/v1/devices/${device.id}`, { hostname: null });
    expect(cleared.body.device).toMatchObject({ name: newName, hostname: null, tags: ['b', 'c'] });
    const taken = await h.json('PATCH', `/v1/devices/${device.id}`, { name: other.device.name });
    expect(taken.status).toBe(409);
    const missing = await h.json('PATCH', `/v1/devices/${randomUUID()}`, { name: unique('x') });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('deletes a device with 204, then answers 404', async () => {
    const { device } = await addDevice({ name: unique('del') });
    const res = await h.call('DELETE', `/v1/devices/${device.id}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await h.json('GET', `/v1/devices/${device.id}`)).status).toBe(404);
    expect((await h.json('DELETE', `/v1/devices/${device.id}`)).status).toBe(404);
  });

  it('filters by tags (all of them), group, status and text', async () => {
    const tag = unique('t');
    const a = await addDevice({ name: unique('alpha'), hostname: 'db-1.internal', tags: [tag, 'x'] });
    const b = await addDevice({ name: unique('beta'), tags: [tag] });
    const c = await addDevice({ name: unique('gamma_50%'), tags: [tag, 'x', 'y'] });
    const ids = (items: Loose[]): string[] => items.map((d) => d.id);

    expect(ids(await listAll(`tag=${tag}`))).toEqual([a.device.id, b.device.id, c.device.id]);
    expect(ids(await listAll(`tag=${tag}&tag=x`))).toEqual([a.device.id, c.device.id]);
    expect(ids(await listAll(`tag=${tag}&tag=x&tag=y`))).toEqual([c.device.id]);

    const group = await h.json('POST', '/v1/groups', { name: unique('g'), deviceIds: [b.device.id, c.device.id] });
    expect(ids(await listAll(`group=${group.body.group.id}`))).toEqual([b.device.id, c.device.id]);
    expect(ids(await listAll(`group=${group.body.group.id}&tag=x`))).toEqual([c.device.id]);

    expect(ids(await listAll(`tag=${tag}&q=DB-1.INT`))).toEqual([a.device.id]);
    expect(ids(await listAll(`tag=${tag}&q=${encodeURIComponent('_50%')}`))).toEqual([c.device.id]);
    expect(ids(await listAll(`tag=${tag}&q=${encodeURIComponent('%')}`))).toEqual([c.device.id]);

    // Online: the gateway flag and a heartbeat within 3 heartbeat intervals (3 s here).
    await h.db.handle.orm.update(devices).set({ online: true, lastSeenAt: new Date() }).where(eq(devices.id, a.device.id));
    await h.db.handle.orm
      .update(devices)
      .set({ online: true, lastSeenAt: new Date(Date.now() - 60_000) })
      .where(eq(devices.id, b.device.id));
    expect(ids(await listAll(`tag=${tag}&status=online`))).toEqual([a.device.id]);
    expect(ids(await listAll(`tag=${tag}&status=offline`))).toEqual([b.device.id, c.device.id]);
    const shown = await h.json('GET', `/v1/devices/${a.device.id}`);
    expect(shown.body.device.status).toBe('online');
    expect(shown.body.device.lastSeenAt).not.toBeNull();
  });

  it('shows the facts the agent reported', async () => {
    const { device } = await addDevice({ name: unique('facts') });
    const facts = { hostname: 'box', os: 'linux', arch: 'x64', agentVersion: '0.1.0' };
    await h.db.handle.orm.update(devices).set({ facts }).where(eq(devices.id, device.id));
    expect((await h.json('GET', `/v1/devices/${device.id}`)).body.device.facts).toEqual(facts);
  });

  it('pages with an opaque cursor, never skipping or repeating a device', async () => {
    const tag = unique('page');
    const created: string[] = [];
    for (let i = 0; i < 7; i += 1) created.push((await addDevice({ name: unique(`pg${i}`), tags: [tag] })).device.id);
    // Same created_at for two rows: the id breaks the tie.
    const now = new Date();
    await h.db.handle.orm.update(devices).set({ createdAt: now }).where(eq(devices.id, created[2] as string));
    await h.db.handle.orm.update(devices).set({ createdAt: now }).where(eq(devices.id, created[3] as string));

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Loose } = await h.json('GET', `/v1/devices?tag=${tag}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((d: Loose) => d.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual([...created].sort());
    expect(new Set(seen).size).toBe(7);
  });

  it('uses 50 as the default page size and answers nextCursor null at the end', async () => {
    const tag = unique('few');
    await addDevice({ name: unique('one'), tags: [tag] });
    const res = await h.json('GET', `/v1/devices?tag=${tag}`);
    expect(res.body).toEqual({ items: [expect.objectContaining({ tags: [tag] })], nextCursor: null });
  });
});
