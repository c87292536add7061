// The all-in-one's demo devices: registered once by name (tag "demo", group "demo"), their token hash
// replaced at every start.
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../client';
import { devices, groupMembers, groups } from '../schema';

export const DEMO_TAG = 'demo';
export const DEMO_GROUP = 'demo';

/** Creates the named devices that do not exist yet, sets every one's token hash, and puts them in the demo group; answers their ids in order. */
export async function registerDemoDevices(db: Database, owner: string, wanted: ReadonlyArray<{ name: string; tokenHash: string }>): Promise<string[]> {
  const names = wanted.map((d) => d.name);
  const existing = await db.select({ id: devices.id, name: devices.name }).from(devices).where(inArray(devices.name, names));
  const byName = new Map(existing.map((d) => [d.name, d.id]));
  const ids: string[] = [];
  for (const { name, tokenHash } of wanted) {
    let id = byName.get(name);
    if (id) {
      await db.update(devices).set({ tokenHash, updatedAt: new Date() }).where(eq(devices.id, id));
    } else {
      id = randomUUID();
      await db.insert(devices).values({ id, name, tags: [DEMO_TAG], owner, tokenHash });
    }
    ids.push(id);
  }
  let [group] = await db.select({ id: groups.id }).from(groups).where(eq(groups.name, DEMO_GROUP));
  if (!group) {
    group = { id: randomUUID() };
    await db.insert(groups).values({ id: group.id, name: DEMO_GROUP, owner });
  }
  await db
    .insert(groupMembers)
    .values(ids.map((deviceId) => ({ groupId: group.id, deviceId })))
    .onConflictDoNothing();
  return ids;
}
