// What a device workflow shows in the Temporal UI while it runs and when it ends (setCurrentDetails):
// plain words, times in UTC. Pure functions of the workflow's state.
import type { DeviceOutcome } from './definitions';

/** "14:05:00Z" for a workflow timestamp (Date.now() inside a workflow is deterministic). */
export function clockOf(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)}Z`;
}

export function waitingDetails(deviceName: string, undeliverableAt: number): string {
  return `waiting for device ${deviceName} to connect (undeliverable at ${clockOf(undeliverableAt)})`;
}

export function runningDetails(gatewayId: string, since: number): string {
  return `running on gateway ${gatewayId} since ${clockOf(since)}`;
}

/** "succeeded", "failed: exit 3: disk full", "undeliverable: the device stayed offline ...". */
export function outcomeDetails(outcome: DeviceOutcome): string {
  const parts: string[] = [outcome.status];
  if (outcome.exitCode !== null && outcome.status !== 'succeeded') parts.push(`exit ${outcome.exitCode}`);
  if (outcome.error) parts.push(outcome.error);
  return parts.join(': ');
}
