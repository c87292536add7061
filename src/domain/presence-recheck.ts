// How often a device workflow re-checks presence while its device is offline. The gateway wakes the
// workflow by signal when the device connects, so re-checks only cover a lost signal: they start at
// RECHECK_FIRST_MS and double up to RECHECK_MAX_MS, which keeps an offline device's history short
// (a few timers per delivery window instead of one every few seconds). Pure values: safe in workflows.

export const RECHECK_FIRST_MS = 15_000;
export const RECHECK_MAX_MS = 60_000;

/**
 * The wait before re-check number `attempt` (0 for the first since the device was last seen online),
 * never beyond the `remainingMs` of the delivery window. A wait that would leave a tail shorter than
 * the first interval waits out the whole window instead (one timer fewer, the same end).
 */
export function recheckDelayMs(attempt: number, remainingMs: number): number {
  const backoff = Math.min(RECHECK_FIRST_MS * 2 ** Math.min(attempt, 16), RECHECK_MAX_MS);
  return remainingMs - backoff <= RECHECK_FIRST_MS ? Math.max(remainingMs, 0) : backoff;
}
