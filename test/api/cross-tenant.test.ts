// Cross-tenant matrix: users (owner, another operator, an auditor, an admin) x resources (the rows
// of tenant-resources.ts) x actions (read, list, update, act, delete). No one reads or changes
// another owner's rows; someone else's row answers exactly like a missing one; nothing changes and
// nothing is audited for refused calls. Then references across owners inside request bodies.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { batches, executions } from '../../src/db/schema';
import { SEARCH_ATTRIBUTES, batchWorkflowId } from '../../src/workflows/definitions';
import { command, unique } from './batch-fixtures';
import type { Loose } from './harness';
import { RESOURCES, type Call, type Fixture, type ResourceRow, type Write } from './tenant-resources';
import { bearerOf, useCastSuite, type TestUser } from './users-fixtures';

const s = useCastSuite();

const ADMIN = {};
async function send(call: Call, headers: Record<string, string>): Promise<{ status: number; body: Loose }> {
  if (!call.stream) return s.h.json(call.method, call.path, call.body, headers);
  const res = await s.h.call(call.method, call.path, call.body, headers);
  if (res.status !== 200) return { status: res.status, body: await res.json() };
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  await res.body?.cancel();
  return { status: 200, body: null };
}

/** The answer with every id of the fixture replaced, so a foreign row's 404 compares with a missing one's. */
function shape(res: { status: number; body: Loose }, ids: string[]): unknown {
  let text = JSON.stringify(res.body ?? null);
  for (const id of ids) text = text.split(id).join('<id>');
  return { status: res.status, body: JSON.parse(text) };
}

/** The same call naming fresh random ids instead of the fixture's. */
function missing(call: Call, f: Fixture): { call: Call; ids: string[] } {
  let path = call.path;
  const fresh: string[] = [];
  for (const id of Object.values(f)) {
    const other = randomUUID();
    if (path.includes(id)) fresh.push(other);
    path = path.split(id).join(other);
  }
  return { call: { ...call, path }, ids: fresh };
}

async function listed(row: ResourceRow, f: Fixture, headers: Record<string, string>, owner?: string): Promise<boolean> {
  const res = await s.h.json('GET', owner === undefined ? row.list(f) : `${row.list(f)}&owner=${owner}`, undefined, headers);
  if (res.status === 404) return false;
  expect(res.status).toBe(200);
  return res.body.items.some((item: Loose) => item.id === f.id);
}

/** What the owner sees of the row through every read. */
async function snapshot(row: ResourceRow, f: Fixture): Promise<unknown[]> {
  return Promise.all(row.reads.map(async (read) => (await send(read(f), bearerOf(s.alice))).body));
}

async function auditCount(user: TestUser): Promise<number> {
  return (await s.h.json('GET', `/v1/audit?actor=${user.id}&limit=200`)).body.items.length;
}

const writesOf = (row: ResourceRow, f: Fixture): Write[] => [...row.updates, ...row.actions, ...(row.remove ? [row.remove] : [])].map((w) => w(f));

for (const row of RESOURCES) {
  describe(`${row.resource} owned by an operator`, () => {
    let f: Fixture;
    beforeAll(async () => {
      f = await row.create(s.h, s.alice);
    });

    it('another operator: every read and write answers 404 exactly like a missing id, lists omit it, nothing changes or is audited', async () => {
      const before = await snapshot(row, f);
      const audited = await auditCount(s.bob);
      for (const call of [...row.reads.map((r) => r(f)), ...writesOf(row, f)]) {
        const foreign = await send(call, bearerOf(s.bob));
        expect(foreign.status, `${call.method} ${call.path}`).toBe('denied' in call ? (call.denied ?? 404) : 404);
        const absent = missing(call, f);
        expect(shape(foreign, Object.values(f)), `${call.method} ${call.path}`).toEqual(shape(await send(absent.call, bearerOf(s.bob)), absent.ids));
      }
      expect(await listed(row, f, bearerOf(s.bob))).toBe(false);
      expect(await snapshot(row, f)).toEqual(before);
      expect(await auditCount(s.bob)).toBe(audited);
    });

    it('an auditor: reads and lists it; every write is 403 forbidden and changes nothing', async () => {
      const before = await snapshot(row, f);
      for (const read of row.reads) expect((await send(read(f), bearerOf(s.audra))).status, read(f).path).toBe(200);
      expect(await listed(row, f, bearerOf(s.audra))).toBe(true);
      for (const call of writesOf(row, f)) {
        const res = await send(call, bearerOf(s.audra));
        expect(res.status, `${call.method} ${call.path}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      expect(await snapshot(row, f)).toEqual(before);
    });

    it('an admin: reads and lists it', async () => {
      for (const read of row.reads) expect((await send(read(f), ADMIN)).status, read(f).path).toBe(200);
      expect(await listed(row, f, ADMIN)).toBe(true);
    });

    if (row.shown) {
      const shown = row.shown;
      it('admins and auditors see its owner and filter lists by ?owner=; its owner sees no owner field and may filter only by themselves', async () => {
        for (const who of [ADMIN, bearerOf(s.audra)]) {
          expect(shown((await send(row.reads[0]!(f), who)).body).owner).toBe(s.alice.id);
          const page = await s.h.json('GET', `${row.list(f)}&owner=${s.alice.id}`, undefined, who);
          expect(page.body.items.length).toBeGreaterThan(0);
          expect(page.body.items.every((item: Loose) => item.owner === s.alice.id)).toBe(true);
          expect(page.body.items.some((item: Loose) => item.id === f.id)).toBe(true);
          expect(await listed(row, f, who, s.bob.id)).toBe(false);
        }
        expect(shown((await send(row.reads[0]!(f), bearerOf(s.alice))).body)).not.toHaveProperty('owner');
        const own = await s.h.json('GET', `${row.list(f)}&owner=${s.alice.id}`, undefined, bearerOf(s.alice));
        expect(own.body.items.some((item: Loose) => item.id === f.id)).toBe(true);
        expect(own.body.items.every((item: Loose) => !('owner' in item))).toBe(true);
        const foreign = await s.h.json('GET', `${row.list(f)}&owner=${s.bob.id}`, undefined, bearerOf(s.alice));
        expect(foreign.status).toBe(403);
        expect(foreign.body.error.code).toBe('forbidden');
      });
    }

    it('its owner: reads, lists, updates, acts on and deletes it', async () => {
      for (const read of row.reads) expect((await send(read(f), bearerOf(s.alice))).status, read(f).path).toBe(200);
      expect(await listed(row, f, bearerOf(s.alice))).toBe(true);
      for (const write of [...row.updates, ...row.actions].map((w) => w(f))) {
        const res = await send(write, bearerOf(s.alice));
        expect(res.status, `${write.method} ${write.path}: ${JSON.stringify(res.body)}`).toBe(write.ok);
      }
      if (!row.remove) return;
      const remove = row.remove(f);
      expect((await send(remove, bearerOf(s.alice))).status).toBe(remove.ok);
      if (remove.ok !== 204) return;
      if (row.afterRemove) return row.afterRemove(s.h, f);
      for (const read of row.reads) expect((await send(read(f), bearerOf(s.alice))).status).toBe(404);
      expect(await listed(row, f, bearerOf(s.alice))).toBe(false);
    });
  });
}

describe('references to another owner’s rows inside a request', () => {
  let device: string;
  let group: string;
  let tag: string;
  beforeAll(async () => {
    tag = unique('only-alice');
    device = (await s.h.json('POST', '/v1/devices', { name: 'db-1', tags: [tag] }, bearerOf(s.alice))).body.device.id;
    group = (await s.h.json('POST', '/v1/groups', { name: 'db', deviceIds: [device] }, bearerOf(s.alice))).body.group.id;
  });

  it('a batch naming her device or group is the same 400 as for missing ids; her tags match none of his devices; nothing is written', async () => {
    const ghost = randomUUID();
    const counts = await s.h.counts();
    const byDevice = await s.h.json('POST', '/v1/batches', { targets: { deviceIds: [device] }, action: command() }, bearerOf(s.bob));
    const byGhost = await s.h.json('POST', '/v1/batches', { targets: { deviceIds: [ghost] }, action: command() }, bearerOf(s.bob));
    expect(byDevice.status).toBe(400);
    expect(shape(byDevice, [device])).toEqual(shape(byGhost, [ghost]));
    const byGroup = await s.h.json('POST', '/v1/batches', { targets: { groupIds: [group] }, action: command() }, bearerOf(s.bob));
    expect(byGroup.body.error).toMatchObject({ code: 'unknown_targets', details: { deviceIds: [], groupIds: [group] } });
    const byTag = await s.h.json('POST', '/v1/batches', { targets: { tags: [tag] }, action: command() }, bearerOf(s.bob));
    expect(byTag.body.error.code).toBe('no_targets');
    expect(await s.h.counts()).toEqual(counts);
  });

  it('a schedule naming her group is the same 400 as for a missing group', async () => {
    const ghost = randomUUID();
    const schedule = (groupId: string): unknown => ({
      name: unique('sched'),
      spec: { daily: { time: '02:00' } },
      batch: { targets: { groupIds: [groupId] }, action: command() },
    });
    const hers = await s.h.json('POST', '/v1/schedules', schedule(group), bearerOf(s.bob));
    expect(hers.status).toBe(400);
    const missingOne = await s.h.json('POST', '/v1/schedules', schedule(ghost), bearerOf(s.bob));
    expect(shape(hers, [group])).toEqual(shape(missingOne, [ghost]));
  });

  it('his groups may not take her devices, on create or on replace', async () => {
    const created = await s.h.json('POST', '/v1/groups', { name: 'mine', deviceIds: [device] }, bearerOf(s.bob));
    expect(created.body.error).toMatchObject({ code: 'unknown_devices', details: { deviceIds: [device] } });
    const own = await s.h.json('POST', '/v1/groups', { name: 'mine', deviceIds: [] }, bearerOf(s.bob));
    expect(own.status).toBe(201);
    const replaced = await s.h.json('PUT', `/v1/groups/${own.body.group.id}/devices`, { deviceIds: [device] }, bearerOf(s.bob));
    expect(replaced.body.error.code).toBe('unknown_devices');
  });

  it('a tag both use resolves to the caller’s own devices only; an admin reaches every owner’s', async () => {
    const his = (await s.h.json('POST', '/v1/devices', { name: unique('db'), tags: [tag] }, bearerOf(s.bob))).body.device.id;
    const bobs = await s.h.json('POST', '/v1/batches', { targets: { tags: [tag] }, action: command() }, bearerOf(s.bob));
    expect(bobs.body.deviceIds).toEqual([his]);
    const admins = await s.h.json('POST', '/v1/batches', { targets: { tags: [tag] }, action: command() });
    expect([...admins.body.deviceIds].sort()).toEqual([device, his].sort());
  });

  it('names are per owner: the same device or group name for another owner is no conflict and reveals nothing', async () => {
    expect((await s.h.json('POST', '/v1/devices', { name: 'db-1' }, bearerOf(s.bob))).status).toBe(201);
    expect((await s.h.json('POST', '/v1/groups', { name: 'db' }, bearerOf(s.bob))).status).toBe(201);
    expect((await s.h.json('POST', '/v1/devices', { name: 'db-1' }, bearerOf(s.alice))).status).toBe(409);
  });

  it('her batch workflow carries her id as FlotillaOwner', async () => {
    const res = await s.h.json('POST', '/v1/batches', { targets: { deviceIds: [device] }, action: command() }, bearerOf(s.alice));
    const description = await s.h.client.workflow.getHandle(batchWorkflowId(res.body.batchId)).describe();
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.owner)).toBe(s.alice.id);
  });
});

describe('links between batches of different owners', () => {
  it('retries and health checks list only the batches the caller may see', async () => {
    const device = (await s.h.json('POST', '/v1/devices', { name: unique('linked') }, bearerOf(s.alice))).body.device.id;
    const hers = (await s.h.json('POST', '/v1/batches', { targets: { deviceIds: [device] }, action: command() }, bearerOf(s.alice))).body.batchId;
    await s.h.db.handle.orm.update(executions).set({ status: 'failed' }).where(eq(executions.batchId, hers));
    await s.h.db.handle.orm.update(batches).set({ status: 'failed' }).where(eq(batches.id, hers));
    // An admin retries her batch (the retry is the admin's), and she retries it herself.
    const adminRetry = await s.h.json('POST', `/v1/batches/${hers}/retry`);
    expect(adminRetry.status, JSON.stringify(adminRetry.body)).toBe(201);
    const herRetry = await s.h.json('POST', `/v1/batches/${hers}/retry`, undefined, bearerOf(s.alice));
    expect(herRetry.status, JSON.stringify(herRetry.body)).toBe(201);
    // A health check row of another owner under her batch: shown to those who see both only.
    await s.h.db.handle.orm.update(batches).set({ parentBatchId: hers }).where(eq(batches.id, adminRetry.body.batchId));

    const asHer = (await s.h.json('GET', `/v1/batches/${hers}`, undefined, bearerOf(s.alice))).body.batch;
    expect(asHer.retries).toEqual([herRetry.body.batchId]);
    expect(asHer.healthChecks).toEqual([]);
    const inHerList = (await s.h.json('GET', '/v1/batches?limit=200', undefined, bearerOf(s.alice))).body.items.find((b: Loose) => b.id === hers);
    expect(inHerList).toMatchObject({ retries: [herRetry.body.batchId], healthChecks: [] });
    for (const who of [ADMIN, bearerOf(s.audra)]) {
      const seen = (await s.h.json('GET', `/v1/batches/${hers}`, undefined, who)).body.batch;
      expect(seen.retries).toEqual([adminRetry.body.batchId, herRetry.body.batchId]);
      expect(seen.healthChecks).toEqual([adminRetry.body.batchId]);
    }
  });
});
