// The cross-tenant matrix's data: one row per resource, with how to create one as its owner and
// every read, list, update, action and delete the API offers on it. A resource added to the API is
// one more row here; test/api/cross-tenant.test.ts runs every row for every kind of caller.
import { expect } from 'vitest';
import { command, unique } from './batch-fixtures';
import type { Harness, Loose } from './harness';
import { bearerOf, type TestUser } from './users-fixtures';

export interface Call {
  method: string;
  path: string;
  body?: unknown;
  /** An event stream: allowed callers get 200 and the stream is closed unread. */
  stream?: boolean;
}

/** What a row created: its id, and other ids its calls need. */
export type Fixture = Record<string, string> & { id: string };

export interface Write extends Call {
  /** What the owner gets. */
  ok: number;
  /** What another operator gets; by default 404, exactly as for a missing row. */
  denied?: number;
}

export interface ResourceRow {
  resource: string;
  create(h: Harness, owner: TestUser): Promise<Fixture>;
  reads: Array<(f: Fixture) => Call>;
  /** The row's JSON in the answer of its first read, where admins and auditors see its `owner`; absent for rows without one. */
  shown?: (body: Loose) => Loose;
  /** A list that shows the row to those allowed to see it (404 to others counts as absent); takes `&owner=` when `shown` is set. */
  list: (f: Fixture) => string;
  updates: Array<(f: Fixture) => Write>;
  actions: Array<(f: Fixture) => Write>;
  remove?: (f: Fixture) => Write;
  /** Proof the removal took effect; by default every read answers 404 and lists omit it. */
  afterRemove?: (h: Harness, f: Fixture) => Promise<void>;
}

async function created(h: Harness, owner: TestUser, path: string, body: unknown): Promise<Loose> {
  const res = await h.json('POST', path, body, bearerOf(owner));
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

async function device(h: Harness, owner: TestUser): Promise<string> {
  return (await created(h, owner, '/v1/devices', { name: unique('dev'), tags: ['shared-tag'] })).device.id;
}

export const RESOURCES: ResourceRow[] = [
  {
    resource: 'device',
    create: async (h, owner) => ({ id: await device(h, owner) }),
    reads: [(f) => ({ method: 'GET', path: `/v1/devices/${f.id}` })],
    shown: (body) => body.device,
    list: () => '/v1/devices?limit=200',
    updates: [(f) => ({ method: 'PATCH', path: `/v1/devices/${f.id}`, body: { tags: ['patched'] }, ok: 200 })],
    actions: [(f) => ({ method: 'POST', path: `/v1/devices/${f.id}/rotate-token`, ok: 200 })],
    remove: (f) => ({ method: 'DELETE', path: `/v1/devices/${f.id}`, ok: 204 }),
  },
  {
    resource: 'group',
    create: async (h, owner) => {
      const deviceId = await device(h, owner);
      return { id: (await created(h, owner, '/v1/groups', { name: unique('grp'), deviceIds: [deviceId] })).group.id, deviceId };
    },
    reads: [(f) => ({ method: 'GET', path: `/v1/groups/${f.id}` })],
    shown: (body) => body.group,
    list: () => '/v1/groups?limit=200',
    updates: [(f) => ({ method: 'PUT', path: `/v1/groups/${f.id}/devices`, body: { deviceIds: [f.deviceId] }, ok: 200 })],
    actions: [],
    remove: (f) => ({ method: 'DELETE', path: `/v1/groups/${f.id}`, ok: 204 }),
  },
  {
    resource: 'batch',
    create: async (h, owner) => {
      const deviceId = await device(h, owner);
      const body = await created(h, owner, '/v1/batches', { targets: { deviceIds: [deviceId] }, action: command('uptime') });
      return { id: body.batchId, deviceId };
    },
    reads: [
      (f) => ({ method: 'GET', path: `/v1/batches/${f.id}` }),
      (f) => ({ method: 'GET', path: `/v1/batches/${f.id}/executions` }),
      (f) => ({ method: 'GET', path: `/v1/batches/${f.id}/executions/${f.deviceId}` }),
      (f) => ({ method: 'GET', path: `/v1/batches/${f.id}/export?format=json` }),
      (f) => ({ method: 'GET', path: `/v1/batches/${f.id}/events`, stream: true }),
    ],
    shown: (body) => body.batch,
    list: () => '/v1/batches?limit=200',
    updates: [],
    actions: [
      (f) => ({ method: 'POST', path: `/v1/batches/${f.id}/pause`, ok: 202 }),
      (f) => ({ method: 'POST', path: `/v1/batches/${f.id}/resume`, ok: 202 }),
      // Still running (no worker here): its owner is told to wait for the end.
      (f) => ({ method: 'POST', path: `/v1/batches/${f.id}/retry`, ok: 409 }),
      (f) => ({ method: 'POST', path: `/v1/batches/${f.id}/cancel`, ok: 202 }),
    ],
    // No worker runs in API tests, so the batch stays running: its owner is told to cancel first.
    remove: (f) => ({ method: 'DELETE', path: `/v1/batches/${f.id}`, ok: 409 }),
  },
  {
    resource: 'schedule',
    create: async (h, owner) => {
      const groupId = (await created(h, owner, '/v1/groups', { name: unique('sched'), deviceIds: [await device(h, owner)] })).group.id;
      const body = await created(h, owner, '/v1/schedules', {
        name: unique('nightly'),
        spec: { daily: { time: '02:00' } },
        batch: { targets: { groupIds: [groupId] }, action: command('uptime') },
      });
      return { id: body.schedule.id, groupId };
    },
    reads: [(f) => ({ method: 'GET', path: `/v1/schedules/${f.id}` }), (f) => ({ method: 'GET', path: `/v1/schedules/${f.id}/runs` })],
    shown: (body) => body.schedule,
    list: () => '/v1/schedules?limit=200',
    updates: [(f) => ({ method: 'PATCH', path: `/v1/schedules/${f.id}`, body: { overlap: 'skip' }, ok: 200 })],
    actions: [
      (f) => ({ method: 'POST', path: `/v1/schedules/${f.id}/pause`, body: { note: 'maintenance' }, ok: 200 }),
      (f) => ({ method: 'POST', path: `/v1/schedules/${f.id}/resume`, ok: 200 }),
      (f) => ({ method: 'POST', path: `/v1/schedules/${f.id}/trigger`, ok: 200 }),
    ],
    remove: (f) => ({ method: 'DELETE', path: `/v1/schedules/${f.id}`, ok: 204 }),
  },
  {
    resource: 'file',
    create: async (h, owner) => {
      const res = await h.app.request(`/v1/files?name=${unique('file')}`, {
        method: 'POST',
        headers: { ...bearerOf(owner), 'content-type': 'application/octet-stream' },
        body: Buffer.from('owned content'),
      });
      expect(res.status).toBe(201);
      return { id: ((await res.json()) as Loose).file.id };
    },
    reads: [(f) => ({ method: 'GET', path: `/v1/files/${f.id}` })],
    shown: (body) => body.file,
    list: () => '/v1/files?limit=200',
    updates: [],
    actions: [],
    remove: (f) => ({ method: 'DELETE', path: `/v1/files/${f.id}`, ok: 204 }),
  },
  {
    resource: 'user (their tokens)',
    create: async (_h, owner) => ({ id: owner.id }),
    reads: [(f) => ({ method: 'GET', path: `/v1/users/${f.id}/tokens` })],
    list: () => '/v1/users?limit=200',
    // Only admins change users, their own included.
    updates: [(f) => ({ method: 'PATCH', path: `/v1/users/${f.id}`, body: { disabled: false }, ok: 403, denied: 403 })],
    actions: [(f) => ({ method: 'POST', path: `/v1/users/${f.id}/tokens`, body: { name: unique('tok') }, ok: 201 })],
  },
  {
    resource: 'api token',
    create: async (h, owner) => {
      const body = await created(h, owner, `/v1/users/${owner.id}/tokens`, { name: unique('tok') });
      return { id: body.tokenId, userId: owner.id, token: body.token };
    },
    reads: [],
    list: (f) => `/v1/users/${f.userId}/tokens?limit=200`,
    updates: [],
    actions: [],
    remove: (f) => ({ method: 'DELETE', path: `/v1/tokens/${f.id}`, ok: 204 }),
    // A revoked token stays listed (with revokedAt) and no longer authenticates.
    afterRemove: async (h, f) => {
      expect((await h.json('GET', '/v1/me', undefined, { authorization: `Bearer ${f.token}` })).status).toBe(401);
      const page = await h.json('GET', `/v1/users/${f.userId}/tokens?limit=200`);
      expect(page.body.items.find((t: Loose) => t.id === f.id).revokedAt).not.toBeNull();
    },
  },
];
