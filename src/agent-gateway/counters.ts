// What the gateway counts, for tests and health: connections, rejections, bad frames, results.

export interface GatewayCounters {
  connections: number;
  sessions: number;
  rejectedAuth: number;
  badFrames: number;
  oversizedFrames: number;
  unsupportedVersion: number;
  policyViolations: number;
  heartbeatTimeouts: number;
  replaced: number;
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
    heartbeatTimeouts: 0,
    replaced: 0,
    results: 0,
    dispatches: 0,
  };
}
