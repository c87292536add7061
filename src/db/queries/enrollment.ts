// A device enrolling itself with a key, in one transaction: the key's use is counted atomically
// (uses < max_uses in the UPDATE, so concurrent enrollments never overshoot), the machine finds its
// existing device (token rotated, its session closed) or gets a new one, which joins the key's groups.
// Two enrollments of one machine at once: the machines primary key lets one win, the other retries.
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { DeviceFacts } from '../../protocol/v1/messages';
import type { Database } from '../client';
import { deviceMachines, devices, enrollmentKeys, groupMembers, groups } from '../schema';
import { sessionNoticeStatement } from '../session-notices';

export interface EnrollRequest {
  keyHash: string;
  machineId: string;
  /** For a new device; an enrolled machine keeps its name. */
  name: string;
  tags: readonly string[];
  facts: DeviceFacts;
  tokenHash: string;
  newDeviceId: string;
}

export type EnrollRefusal = 'unknown_key' | 'revoked' | 'expired' | 'used_up' | 'name_taken';

export type EnrollOutcome =
  | { ok: true; deviceId: string; name: string; owner: string; keyId: string; keyName: string; reenrolled: boolean }
  /** keyId and owner when the key exists (revoked, expired, used up, or its owner has the name). */
  | { ok: false; refusal: EnrollRefusal; keyId?: string; owner?: string; keyName?: string };

/** Thrown inside the transaction to roll it back (nothing counted, nothing created). */
class Refused extends Error {
  constructor(
    readonly refusal: EnrollRefusal,
    readonly key?: { id: string; owner: string; name: string },
  ) {
    super(refusal);
  }
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Why a key that the counting UPDATE did not match may not enroll. */
async function whyRefused(db: Database | Tx, keyHash: string): Promise<Refused> {
  const [key] = await db
    .select({
      id: enrollmentKeys.id,
      owner: enrollmentKeys.owner,
      name: enrollmentKeys.name,
      revokedAt: enrollmentKeys.revokedAt,
      expired: sql<boolean>`coalesce(${enrollmentKeys.expiresAt} <= now(), false)`,
    })
    .from(enrollmentKeys)
    .where(eq(enrollmentKeys.keyHash, keyHash));
  if (!key) return new Refused('unknown_key');
  const { id, owner, name } = key;
  return new Refused(key.revokedAt ? 'revoked' : key.expired ? 'expired' : 'used_up', { id, owner, name });
}

/** Thrown when a concurrent enrollment of the same machine won: the whole transaction runs again. */
class Retry extends Error {}

async function joinGroups(tx: Tx, deviceId: string, groupIds: readonly string[], owner: string): Promise<void> {
  if (groupIds.length === 0) return;
  // Groups deleted since the key was made are skipped.
  await tx
    .insert(groupMembers)
    .select(
      tx
        .select({ groupId: groups.id, deviceId: sql<string>`${deviceId}::uuid`.as('device_id') })
        .from(groups)
        .where(and(sql`${groups.id} = any(${sql.param([...groupIds])}::uuid[])`, eq(groups.owner, owner))),
    )
    .onConflictDoNothing();
}

export async function enrollDevice(db: Database, req: EnrollRequest): Promise<EnrollOutcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await enrollOnce(db, req);
    } catch (err) {
      if (err instanceof Retry && attempt < 2) continue;
      throw err;
    }
  }
}

async function enrollOnce(db: Database, req: EnrollRequest): Promise<EnrollOutcome> {
  try {
    return await db.transaction(async (tx) => {
      const [key] = await tx
        .update(enrollmentKeys)
        .set({ uses: sql`${enrollmentKeys.uses} + 1` })
        .where(
          and(
            eq(enrollmentKeys.keyHash, req.keyHash),
            isNull(enrollmentKeys.revokedAt),
            or(isNull(enrollmentKeys.expiresAt), sql`${enrollmentKeys.expiresAt} > now()`),
            or(isNull(enrollmentKeys.maxUses), sql`${enrollmentKeys.uses} < ${enrollmentKeys.maxUses}`),
          ),
        )
        .returning({ id: enrollmentKeys.id, name: enrollmentKeys.name, owner: enrollmentKeys.owner, tags: enrollmentKeys.tags, groupIds: enrollmentKeys.groupIds });
      // In the transaction, on its own connection: a second connection per enrollment could starve the pool.
      if (!key) throw await whyRefused(tx, req.keyHash);
      const tags = [...new Set([...key.tags, ...req.tags])];

      const machineOf = async (): Promise<string | undefined> => {
        const [row] = await tx
          .select({ deviceId: deviceMachines.deviceId })
          .from(deviceMachines)
          .where(and(eq(deviceMachines.owner, key.owner), eq(deviceMachines.machineId, req.machineId)));
        return row?.deviceId;
      };
      let known = await machineOf();
      if (known === undefined) {
        const inserted = await tx
          .insert(devices)
          .values({ id: req.newDeviceId, name: req.name, hostname: req.facts.hostname, tags, owner: key.owner, tokenHash: req.tokenHash, facts: req.facts })
          .onConflictDoNothing()
          .returning({ id: devices.id });
        if (inserted.length > 0) {
          const claimed = await tx.insert(deviceMachines).values({ owner: key.owner, machineId: req.machineId, deviceId: req.newDeviceId }).onConflictDoNothing().returning();
          // A concurrent enrollment of the same machine committed first: start over, and find its device.
          if (claimed.length === 0) throw new Retry();
          await joinGroups(tx, req.newDeviceId, key.groupIds, key.owner);
          return { ok: true as const, deviceId: req.newDeviceId, name: req.name, owner: key.owner, keyId: key.id, keyName: key.name, reenrolled: false };
        }
        // The name is taken: by this very machine enrolled concurrently (now committed), or by another device.
        known = await machineOf();
        if (known === undefined) throw new Refused('name_taken', { id: key.id, owner: key.owner, name: key.name });
      }
      const [device] = await tx
        .update(devices)
        .set({ tokenHash: req.tokenHash, tags: sql`array(select distinct unnest(${devices.tags} || ${sql.param(tags)}::text[]))`, online: false, sessionId: null, updatedAt: sql`now()` })
        .where(eq(devices.id, known))
        .returning({ id: devices.id, name: devices.name });
      await tx.execute(sessionNoticeStatement({ kind: 'revoked', deviceId: known, reason: 'token_rotated' }));
      return { ok: true as const, deviceId: known, name: device!.name, owner: key.owner, keyId: key.id, keyName: key.name, reenrolled: true };
    });
  } catch (err) {
    if (err instanceof Refused) return { ok: false, refusal: err.refusal, keyId: err.key?.id, owner: err.key?.owner, keyName: err.key?.name };
    throw err;
  }
}
