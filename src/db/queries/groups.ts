// Named sets of devices. Membership changes are transactional and refuse unknown device ids.
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { groupMembers, groups } from '../schema';
import { UnknownDevicesError, listDevices, missingDeviceIds, type DeviceView } from './devices';
import { ownedBy, type OwnerScope } from './ownership';
import { exactTime, timeKeyset, type Page, type TimeKey } from './pagination';

export interface GroupView {
  id: string;
  owner: string;
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
  owner: groups.owner,
  name: groups.name,
  deviceCount: sql<number>`(select count(*)::int from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`,
  createdAt: groups.createdAt,
  updatedAt: groups.updatedAt,
  createdKey: exactTime(groups.createdAt),
};

function toView(r: { id: string; owner: string; name: string; deviceCount: number; createdAt: Date; updatedAt: Date }): GroupView {
  return { id: r.id, owner: r.owner, name: r.name, deviceCount: Number(r.deviceCount), createdAt: r.createdAt, updatedAt: r.updatedAt };
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Members must be devices the scope's owner may use; any other id is unknown. */
async function replaceMembers(tx: Tx, groupId: string, deviceIds: readonly string[], scope: OwnerScope): Promise<void> {
  const unique = [...new Set(deviceIds)];
  const missing = await missingDeviceIds(tx, unique, scope);
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

/** `scope` limits the members to the devices the creator may use. */
export async function createGroup(db: Database, input: NewGroup, scope: OwnerScope): Promise<GroupView> {
  await db.transaction(async (tx) => {
    await tx.insert(groups).values({ id: input.id, name: input.name, owner: input.owner });
    await replaceMembers(tx, input.id, input.deviceIds, scope);
  });
  const created = await getGroup(db, input.id, input.owner);
  if (!created) throw new Error(`group ${input.id} vanished after insert`);
  return created;
}

export async function getGroup(db: Database, id: string, scope: OwnerScope): Promise<GroupView | undefined> {
  const [row] = await db
    .select(columns)
    .from(groups)
    .where(and(eq(groups.id, id), ownedBy(groups.owner, scope)));
  return row ? toView(row) : undefined;
}

export async function getGroupWithDevices(db: Database, id: string, windowMs: number, scope: OwnerScope): Promise<GroupWithDevices | undefined> {
  const group = await getGroup(db, id, scope);
  if (!group) return undefined;
  const members = await listDevices(db, { owner: scope, groupId: id, limit: MAX_GROUP_MEMBERS_SHOWN }, windowMs);
  return { ...group, devices: [...members.items].sort((a, b) => a.name.localeCompare(b.name)) };
}

export interface GroupFilter {
  /** Only this owner's groups; undefined for every owner's. */
  owner: OwnerScope;
  name?: string;
  after?: TimeKey;
  limit: number;
}

export async function listGroups(db: Database, filter: GroupFilter): Promise<Page<GroupView>> {
  const where: Array<SQL | undefined> = [ownedBy(groups.owner, filter.owner)];
  if (filter.name !== undefined) where.push(eq(groups.name, filter.name));
  const keyset = timeKeyset(groups, 'asc', filter);
  const rows = await db
    .select(columns)
    .from(groups)
    .where(and(...where, keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(keyset.fetch);
  return keyset.page(rows, (r) => r.id, toView);
}

/** Replaces the members; false when the group does not exist. Unknown device ids throw UnknownDevicesError. */
export async function setGroupDevices(db: Database, id: string, deviceIds: readonly string[], scope: OwnerScope): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [group] = await tx
      .select({ id: groups.id })
      .from(groups)
      .where(and(eq(groups.id, id), ownedBy(groups.owner, scope)))
      .for('update');
    if (!group) return false;
    await replaceMembers(tx, id, deviceIds, scope);
    await tx.update(groups).set({ updatedAt: sql`now()` }).where(eq(groups.id, id));
    return true;
  });
}

export async function deleteGroup(db: Database, id: string, scope: OwnerScope): Promise<boolean> {
  const deleted = await db
    .delete(groups)
    .where(and(eq(groups.id, id), ownedBy(groups.owner, scope)))
    .returning({ id: groups.id });
  return deleted.length > 0;
}

/** The given ids that name no group of the scope's owner, in the order given. */
export async function missingGroupIds(db: Database, ids: readonly string[], scope: OwnerScope): Promise<string[]> {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  const rows = await db
    .select({ id: groups.id })
    .from(groups)
    .where(and(inArray(groups.id, unique), ownedBy(groups.owner, scope)));
  const found = new Set(rows.map((r) => r.id));
  return unique.filter((id) => !found.has(id));
}
