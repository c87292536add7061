// Which gateway holds which device's session. Every write that ends a session is conditional on the
// session id, so a gateway never marks offline a device that has since reconnected elsewhere.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { batches, devices, executions } from '../schema';
import type { DeviceFacts } from '../../protocol/v1/messages';
import { ACTIVE_BATCH_STATUSES } from '../../domain/status';

export interface DeviceCredentials {
  id: string;
  tokenHash: string;
}

export async function findDeviceCredentials(db: Database, deviceId: string): Promise<DeviceCredentials | undefined> {
  const [row] = await db
    .select({ id: devices.id, tokenHash: devices.tokenHash })
    .from(devices)
    .where(eq(devices.id, deviceId));
  return row;
}

export interface OnlineMark {
  deviceId: string;
  /** The token hash the agent authenticated against: a token rotated meanwhile records nothing. */
  tokenHash: string;
  gatewayId: string;
  sessionId: string;
  facts: DeviceFacts;
}

/**
 * Records the new session; the reported hostname fills devices.hostname only when it is empty.
 * False when the device was deleted or its token rotated since the agent was authenticated.
 */
export async function markDeviceOnline(db: Database, m: OnlineMark): Promise<boolean> {
  const now = new Date();
  const rows = await db
    .update(devices)
    .set({
      online: true,
      gatewayId: m.gatewayId,
      sessionId: m.sessionId,
      lastSeenAt: now,
      facts: m.facts,
      hostname: sql`coalesce(${devices.hostname}, ${m.facts.hostname || null})`,
      updatedAt: now,
    })
    .where(and(eq(devices.id, m.deviceId), eq(devices.tokenHash, m.tokenHash)))
    .returning({ id: devices.id });
  return rows.length > 0;
}

/** Marks the device offline only if the given session is still the current one. */
export async function markSessionOffline(db: Database, deviceId: string, sessionId: string): Promise<void> {
  await db
    .update(devices)
    .set({ online: false, sessionId: null, updatedAt: new Date() })
    .where(and(eq(devices.id, deviceId), eq(devices.sessionId, sessionId)));
}

/** One UPDATE for every device heard from since the last flush. */
export async function touchDevices(db: Database, gatewayId: string, deviceIds: string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await db
    .update(devices)
    .set({ lastSeenAt: new Date() })
    .where(
      and(
        // One text parameter rather than one parameter per device: 10,000 ids stay a single bind.
        sql`${devices.id} = ANY(string_to_array(${deviceIds.join(',')}, ',')::uuid[])`,
        eq(devices.gatewayId, gatewayId),
        eq(devices.online, true),
      ),
    );
}

export interface AwaitingExecution {
  batchId: string;
  executionId: string;
}

/** Executions of running or paused batches still waiting for (or running on) this device. */
export async function executionsAwaitingDevice(db: Database, deviceId: string): Promise<AwaitingExecution[]> {
  return db
    .select({ batchId: executions.batchId, executionId: executions.id })
    .from(executions)
    .innerJoin(batches, eq(batches.id, executions.batchId))
    .where(
      and(
        eq(executions.deviceId, deviceId),
        inArray(executions.status, ['queued', 'delayed', 'dispatched', 'running']),
        inArray(batches.status, [...ACTIVE_BATCH_STATUSES]),
      ),
    );
}
