import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupMembers, groups } from '../../src/db/schema';
import { startHarness, type Harness, type Loose } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const unique = (p: string): string => `${p}-${randomUUID().slice(0, 8)}`;

async function addDevice(name: string): Promise<string> {
  const res = await h.json('POST', '/v1/devices', { name });
  expect(res.status).toBe(201);
  return res.body.device.id;
}

describe('groups', () => {
  it('creates a group with members, lists it by name, and shows members by name', async () => {
    const zed = await addDevice(unique('zed'));
    const abe = await addDevice(unique('abe'));
    const name = unique('web');
    const created = await h.json('POST', '/v1/groups', { name, deviceIds: [zed, abe, zed] });
    expect(created.status).toBe(201);
    expect(created.body.group).toEqual({
      id: expect.any(String),
      owner: 'admin',
      name,
      deviceCount: 2,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.group.id;

    const byName = await h.json('GET', `/v1/groups?name=${encodeURIComponent(name)}`);
    expect(byName.body).toEqual({ items: [created.body.group], nextCursor: null });
    expect((await h.json('GET', `/v1/groups?name=${unique('none')}`)).body.items).toEqual([]);

    const shown = await h.json('GET', `/v1/groups/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.group.devices.map((d: Loose) => d.id)).toEqual([abe, zed]);
    expect(shown.body.group.devices[0]).not.toHaveProperty('tokenHash');
  });

  it('creates an empty group and refuses a duplicate name with 409', async () => {
    const name = unique('empty');
    const created = await h.json('POST', '/v1/groups', { name });
    expect(created.status).toBe(201);
    expect(created.body.group.deviceCount).toBe(0);
    const dup = await h.json('POST', '/v1/groups', { name });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
  });

  it('refuses unknown member ids with 400 naming them, writing nothing', async () => {
    const known = await addDevice(unique('k'));
    const ghost = randomUUID();
    const name = unique('bad');
    const res = await h.json('POST', '/v1/groups', { name, deviceIds: [known, ghost] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'unknown_devices', details: { deviceIds: [ghost] } });
    expect(await h.db.handle.orm.$count(groups, eq(groups.name, name))).toBe(0);
  });

  it('replaces members with PUT /devices, atomically refusing unknown ids', async () => {
    const a = await addDevice(unique('a'));
    const b = await addDevice(unique('b'));
    const c = await addDevice(unique('c'));
    const { body } = await h.json('POST', '/v1/groups', { name: unique('swap'), deviceIds: [a, b] });
    const id = body.group.id;

    const replaced = await h.json('PUT', `/v1/groups/${id}/devices`, { deviceIds: [c, b] });
    expect(replaced.status).toBe(200);
    expect(replaced.body.group.deviceCount).toBe(2);
    expect(replaced.body.group.devices.map((d: Loose) => d.id).sort()).toEqual([b, c].sort());

    const ghost = randomUUID();
    const refused = await h.json('PUT', `/v1/groups/${id}/devices`, { deviceIds: [a, ghost] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual({ deviceIds: [ghost] });
    const members = await h.db.handle.orm.select().from(groupMembers).where(eq(groupMembers.groupId, id));
    expect(members.map((m) => m.deviceId).sort()).toEqual([b, c].sort());

    const emptied = await h.json('PUT', `/v1/groups/${id}/devices`, { deviceIds: [] });
    expect(emptied.body.group.devices).toEqual([]);
    expect((await h.json('PUT', `/v1/groups/${randomUUID()}/devices`, { deviceIds: [] })).status).toBe(404);
  });

  it('drops a deleted device from its groups', async () => {
    const a = await addDevice(unique('gone'));
    const { body } = await h.json('POST', '/v1/groups', { name: unique('g'), deviceIds: [a] });
    expect((await h.call('DELETE', `/v1/devices/${a}`)).status).toBe(204);
    expect((await h.json('GET', `/v1/groups/${body.group.id}`)).body.group).toMatchObject({ deviceCount: 0, devices: [] });
  });

  it('deletes a group (its devices stay) and then answers 404', async () => {
    const a = await addDevice(unique('stay'));
    const { body } = await h.json('POST', '/v1/groups', { name: unique('del'), deviceIds: [a] });
    expect((await h.call('DELETE', `/v1/groups/${body.group.id}`)).status).toBe(204);
    expect((await h.json('GET', `/v1/groups/${body.group.id}`)).status).toBe(404);
    expect((await h.json('DELETE', `/v1/groups/${body.group.id}`)).status).toBe(404);
    expect((await h.json('GET', `/v1/devices/${a}`)).status).toBe(200);
  });

  it('pages groups with a cursor', async () => {
    for (let i = 0; i < 3; i += 1) await h.json('POST', '/v1/groups', { name: unique(`pg${i}`) });
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Loose } = await h.json('GET', `/v1/groups?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...res.body.items.map((g: Loose) => g.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(await h.db.handle.orm.$count(groups));
  });
});
