// Devices as the API manages them. Online means the gateway says so AND a heartbeat was seen within
// the presence window, judged by the database clock so every API process agrees.
import { and, arrayContains, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { devices, groupMembers } from '../schema';
import { sessionNoticeStatement } from '../session-notices';
import type { DeviceFacts } from '../../protocol/v1/messages';
import { ownedBy, type OwnerScope } from './ownership';
import { exactTime, timeKeyset, type Page, type TimeKey } from './pagination';

export type DeviceStatus = 'online' | 'offline';

export interface DeviceView {
  id: string;
  owner: string;
  name: string;
  hostname: string | null;
  tags: string[];
  status: DeviceStatus;
  lastSeenAt: Date | null;
  facts: DeviceFacts | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeviceFilter {
  /** Only this owner's devices; undefined for every owner's. */
  owner: OwnerScope;
  /** All of these tags. */
  tags?: string[];
  groupId?: string;
  status?: DeviceStatus;
  /** Case-insensitive substring of name or hostname. */
  q?: string;
  after?: TimeKey;
  limit: number;
}

/** Thrown when device ids given by a client do not exist; names them. */
export class UnknownDevicesError extends Error {
  constructor(readonly deviceIds: string[]) {
    super(`unknown device ids: ${deviceIds.join(', ')}`);
    this.name = 'UnknownDevicesError';
  }
}

function onlineExpr(windowMs: number): SQL<boolean> {
  return sql<boolean>`(${devices.online} and ${devices.lastSeenAt} is not null and ${devices.lastSeenAt} > now() - (${windowMs}::integer * interval '1 millisecond'))`;
}

function columns(windowMs: number) {
  return {
    id: devices.id,
    owner: devices.owner,
    name: devices.name,
    hostname: devices.hostname,
    tags: devices.tags,
    online: onlineExpr(windowMs),
    lastSeenAt: devices.lastSeenAt,
    facts: devices.facts,
    createdAt: devices.createdAt,
    updatedAt: devices.updatedAt,
    createdKey: exactTime(devices.createdAt),
  };
}

interface Selected {
  id: string;
  owner: string;
  name: string;
  hostname: string | null;
  tags: string[];
  online: boolean;
  lastSeenAt: Date | null;
  facts: DeviceFacts | null;
  createdAt: Date;
  updatedAt: Date;
  createdKey: string;
}

function toView(r: Selected): DeviceView {
  return {
    id: r.id,
    owner: r.owner,
    name: r.name,
    hostname: r.hostname,
    tags: r.tags,
    status: r.online ? 'online' : 'offline',
    lastSeenAt: r.lastSeenAt,
    facts: r.facts,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface NewDevice {
  id: string;
  name: string;
  hostname: string | null;
  tags: string[];
  owner: string;
  tokenHash: string;
}

const INSERT_CHUNK = 1_000;

/** Registers many devices at once, a thousand rows per statement, without reading them back (bulk setup). */
export async function insertDevices(db: Database, rows: readonly NewDevice[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await db.insert(devices).values(rows.slice(i, i + INSERT_CHUNK));
}

export async function createDevice(db: Database, input: NewDevice, windowMs: number): Promise<DeviceView> {
  await db.insert(devices).values(input);
  const created = await getDevice(db, input.id, windowMs, input.owner);
  if (!created) throw new Error(`device ${input.id} vanished after insert`);
  return created;
}

export async function getDevice(db: Database, id: string, windowMs: number, scope: OwnerScope): Promise<DeviceView | undefined> {
  const [row] = await db
    .select(columns(windowMs))
    .from(devices)
    .where(and(eq(devices.id, id), ownedBy(devices.owner, scope)));
  return row ? toView(row) : undefined;
}

export async function listDevices(db: Database, filter: DeviceFilter, windowMs: number): Promise<Page<DeviceView>> {
  const online = onlineExpr(windowMs);
  const where: Array<SQL | undefined> = [ownedBy(devices.owner, filter.owner)];
  if (filter.tags && filter.tags.length > 0) where.push(arrayContains(devices.tags, filter.tags));
  if (filter.groupId) {
    where.push(
      sql`exists (select 1 from ${groupMembers} where ${groupMembers.groupId} = ${filter.groupId} and ${groupMembers.deviceId} = ${devices.id})`,
    );
  }
  if (filter.status) where.push(filter.status === 'online' ? online : sql`not ${online}`);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    where.push(or(ilike(devices.name, pattern), ilike(devices.hostname, pattern)) as SQL);
  }
  const keyset = timeKeyset(devices, 'asc', filter);
  const rows = await db
    .select(columns(windowMs))
    .from(devices)
    .where(and(...where, keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(keyset.fetch);
  return keyset.page(rows, (r) => r.id, toView);
}

export interface DevicePatch {
  name?: string;
  hostname?: string | null;
  tags?: string[];
}

export async function updateDevice(db: Database, id: string, patch: DevicePatch, windowMs: number, scope: OwnerScope): Promise<DeviceView | undefined> {
  const updated = await db
    .update(devices)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(devices.id, id), ownedBy(devices.owner, scope)))
    .returning({ id: devices.id });
  return updated.length === 0 ? undefined : getDevice(db, id, windowMs, scope);
}

/** Deletes the device; every gateway holding its session closes it when the deletion commits. */
export async function deleteDevice(db: Database, id: string, scope: OwnerScope): Promise<boolean> {
  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(devices)
      .where(and(eq(devices.id, id), ownedBy(devices.owner, scope)))
      .returning({ id: devices.id });
    if (deleted.length === 0) return false;
    await tx.execute(sessionNoticeStatement({ kind: 'revoked', deviceId: id, reason: 'device_deleted' }));
    return true;
  });
}

/** Replaces the device's token hash and ends its session: the old token stops working at once. */
export async function rotateDeviceToken(db: Database, id: string, tokenHash: string, scope: OwnerScope): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(devices)
      .set({ tokenHash, online: false, sessionId: null, updatedAt: sql`now()` })
      .where(and(eq(devices.id, id), ownedBy(devices.owner, scope)))
      .returning({ id: devices.id });
    if (updated.length === 0) return false;
    await tx.execute(sessionNoticeStatement({ kind: 'revoked', deviceId: id, reason: 'token_rotated' }));
    return true;
  });
}

/** The given ids that name no device of the scope's owner, in the order given. */
export async function missingDeviceIds(db: Database, ids: readonly string[], scope: OwnerScope): Promise<string[]> {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  const found = new Set<string>();
  for (let i = 0; i < unique.length; i += 5_000) {
    const rows = await db
      .select({ id: devices.id })
      .from(devices)
      .where(and(inArray(devices.id, unique.slice(i, i + 5_000)), ownedBy(devices.owner, scope)));
    for (const r of rows) found.add(r.id);
  }
  return unique.filter((id) => !found.has(id));
}

/** The scope's devices among these ids, in any order. */
export async function devicesByIds(db: Database, ids: readonly string[], scope: OwnerScope): Promise<Array<{ id: string; name: string }>> {
  const unique = [...new Set(ids)];
  const out: Array<{ id: string; name: string }> = [];
  for (let i = 0; i < unique.length; i += 5_000) {
    out.push(
      ...(await db
        .select({ id: devices.id, name: devices.name })
        .from(devices)
        .where(and(inArray(devices.id, unique.slice(i, i + 5_000)), ownedBy(devices.owner, scope)))),
    );
  }
  return out;
}
