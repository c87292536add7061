// What the gateway counts, for tests and health: connections, rejections, bad frames, results.

export const COUNTER_NAMES = [
  'connections',
  'sessions',
  'rejectedAuth',
  'badFrames',
  'oversizedFrames',
  'unsupportedVersion',
  'policyViolations',
  /** Connections closed for sending frames faster than FLOTILLA_AGENT_MAX_MESSAGES_PER_SEC. */
  'rateLimited',
  'heartbeatTimeouts',
  'replaced',
  /** Sessions ended because the device's token was rotated or the device deleted. */
  'revoked',
  /** Connections refused because the gateway held its maximum of agents. */
  'refusedFull',
  'results',
  'dispatches',
  /** WebSocket frames received from agents and sent to them. */
  'framesIn',
  'framesOut',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

export type GatewayCounters = Record<CounterName, number>;

export function newCounters(): GatewayCounters {
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as GatewayCounters;
}
