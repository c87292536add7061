// What the gateway counts, for tests and health: connections, rejections, bad frames, results.

export interface GatewayCounters {
  connections: number;
  sessions: number;
  rejectedAuth: number;
  badFrames: number;
  oversizedFrames: number;
  unsupportedVersion: number;
  policyViolations: number;
  /** Connections closed for sending frames faster than FLOTILLA_AGENT_MAX_MESSAGES_PER_SEC. */
  rateLimited: number;
  heartbeatTimeouts: number;
  replaced: number;
  /** Sessions ended because the device's token was rotated or the device deleted. */
  revoked: number;
  /** Connections refused because the gateway held its maximum of agents. */
  refusedFull: number;
  results: number;
  dispatches: number;
}

export function newCounters(): GatewayCounters {
  return {
    connections: 0,
    sessions: 0,
    rejectedAuth: 0,
    badFrames: 0,
    oversizedFrames: 0,
    unsupportedVersion: 0,
    policyViolations: 0,
    rateLimited: 0,
    heartbeatTimeouts: 0,
    replaced: 0,
    revoked: 0,
    refusedFull: 0,
    results: 0,
    dispatches: 0,
  };
}
