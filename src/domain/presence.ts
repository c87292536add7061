// When a device counts as online: its gateway says so and a heartbeat was seen within this window.
// Pure values: safe to import anywhere.
import { HEARTBEAT_MISSES_ALLOWED } from '../protocol/constants';

/** How long after its last heartbeat a device still counts as online (what the API shows). */
export function presenceWindowMs(heartbeatMs: number): number {
  return heartbeatMs * HEARTBEAT_MISSES_ALLOWED;
}

/**
 * Extra time dispatch still trusts a device beyond the window: covers a busy gateway flushing heartbeats
 * late; a gateway that really died is caught by the delivery activity's pickup timeout anyway.
 */
export const DISPATCH_PRESENCE_SLACK_MS = 10_000;

/** Dispatch trusts a device for the API's presence window plus the slack for late heartbeat flushes. */
export function dispatchPresenceWindowMs(heartbeatMs: number): number {
  return presenceWindowMs(heartbeatMs) + DISPATCH_PRESENCE_SLACK_MS;
}
