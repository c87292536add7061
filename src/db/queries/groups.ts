// Named sets of devices. Membership changes are transactional and refuse unknown device ids.
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { groupMembers, groups } from '../schema';
import { UnknownDevicesError, listDevices, missingDeviceIds, type DeviceView } from './devices';
import { afterTimeKey, encodeTimeCursor, exactTime, toPage, type Page, type TimeKey } from './pagination';

export interface GroupView {
  id: string;
  name: string;
  deviceCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupWithDevices extends GroupView {
  devices: DeviceView[];
}

/** Largest group the API returns members of in one answer. */
export const MAX_GROUP_MEMBERS_SHOWN = 10_000;

const columns = {
  id: groups.id,
  name: groups.name,
  deviceCount: sql<number>`(select count(*)::int from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`,
  createdAt: groups.createdAt,
  updatedAt: groups.updatedAt,
  createdKey: exactTime(groups.createdAt),
};

function toView(r: { id: string; name: string; deviceCount: number; createdAt: Date; updatedAt: Date }): GroupView {
  return { id: r.id, name: r.name, deviceCount: Number(r.deviceCount), createdAt: r.createdAt, updatedAt: r.updatedAt };
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

async function replaceMembers(tx: Tx, groupId: string, deviceIds: readonly string[]): Promise<void> {
  const unique = [...new Set(deviceIds)];
  const missing = await missingDeviceIds(tx, unique);
  if (missing.length > 0) throw new UnknownDevicesError(missing);
  await tx.delete(groupMembers).where(eq(groupMembers.groupId, groupId));
  for (let i = 0; i < unique.length; i += 1_000) {
    await tx.insert(groupMembers).values(unique.slice(i, i + 1_000).map((deviceId) => ({ groupId, deviceId })));
  }
}

export interface NewGroup {
  id: string;
  name: string;
  owner: string;
  deviceIds: readonly string[];
}

export async function createGroup(db: Database, input: NewGroup): Promise<GroupView> {
  await db.transaction(async (tx) => {
    await tx.insert(groups).values({ id: input.id, name: input.name, owner: input.owner });
    await replaceMembers(tx, input.id, input.deviceIds);
  });
  const created = await getGroup(db, input.id);
  if (!created) throw new Error(`group ${input.id} vanished after insert`);
  return created;
}

export async function getGroup(db: Database, id: string): Promise<GroupView | undefined> {
  const [row] = await db.select(columns).from(groups).where(eq(groups.id, id));
  return row ? toView(row) : undefined;
}

export async function getGroupWithDevices(db: Database, id: string, windowMs: number): Promise<GroupWithDevices | undefined> {
  const group = await getGroup(db, id);
  if (!group) return undefined;
  const members = await listDevices(db, { groupId: id, limit: MAX_GROUP_MEMBERS_SHOWN }, windowMs);
  return { ...group, devices: [...members.items].sort((a, b) => a.name.localeCompare(b.name)) };
}

export interface GroupFilter {
  name?: string;
  after?: TimeKey;
  limit: number;
}

export async function listGroups(db: Database, filter: GroupFilter): Promise<Page<GroupView>> {
  const where: SQL[] = [];
  if (filter.name !== undefined) where.push(eq(groups.name, filter.name));
  if (filter.after) where.push(afterTimeKey(groups.createdAt, groups.id, filter.after, 'asc'));
  const rows = await db
    .select(columns)
    .from(groups)
    .where(and(...where))
    .orderBy(asc(groups.createdAt), asc(groups.id))
    .limit(filter.limit + 1);
  return toPage(rows, filter.limit, (r) => encodeTimeCursor({ createdAt: r.createdKey, id: r.id }), toView);
}

/** Replaces the members; false when the group does not exist. Unknown device ids throw UnknownDevicesError. */
export async function setGroupDevices(db: Database, id: string, deviceIds: readonly string[]): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [group] = await tx.select({ id: groups.id }).from(groups).where(eq(groups.id, id)).for('update');
    if (!group) return false;
    await replaceMembers(tx, id, deviceIds);
    await tx.update(groups).set({ updatedAt: sql`now()` }).where(eq(groups.id, id));
    return true;
  });
}

export async function deleteGroup(db: Database, id: string): Promise<boolean> {
  const deleted = await db.delete(groups).where(eq(groups.id, id)).returning({ id: groups.id });
  return deleted.length > 0;
}

/** The given ids that name no group, in the order given. */
export async function missingGroupIds(db: Database, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  const rows = await db.select({ id: groups.id }).from(groups).where(inArray(groups.id, unique));
  const found = new Set(rows.map((r) => r.id));
  return unique.filter((id) => !found.has(id));
}
