// Timing and size constants shared by the gateway and the agent.

/** Current wire protocol version; every frame carries it as `v`. */
export const PROTOCOL_VERSION = 1;

/** How often an agent sends a heartbeat unless the gateway's welcome says otherwise. */
export const HEARTBEAT_INTERVAL_MS = 10_000;

/** A session with no frame for this many heartbeat intervals is considered dead. */
export const HEARTBEAT_MISSES_ALLOWED = 3;

/** Each of stdout and stderr is kept up to this many bytes; beyond it the result is flagged truncated. */
export const OUTPUT_CAP_BYTES = 1024 * 1024;

/** Live output: an agent sends what a command printed at most this often, in chunks up to this size. */
export const LIVE_OUTPUT_INTERVAL_MS = 200;
export const LIVE_OUTPUT_CHUNK_BYTES = 16 * 1024;

/** Default largest frame either side accepts. */
export const DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** Grace between SIGTERM and SIGKILL when the agent stops a command. */
export const KILL_GRACE_MS = 2_000;

/** How many finished executions an agent remembers to answer re-sent dispatches. */
export const AGENT_JOURNAL_SIZE = 5_000;

/** WebSocket close codes the gateway uses, with what they mean. */
export const CLOSE_CODES = {
  badFrame: 4000,
  unauthorized: 4001,
  replaced: 4002,
  unsupportedVersion: 4003,
  heartbeatTimeout: 4004,
  policyViolation: 4008,
  rateLimited: 4029,
  shuttingDown: 4009,
  /** The device's token was rotated: this session's token no longer authenticates. */
  tokenRotated: 4010,
  /** The device was deleted. */
  deviceDeleted: 4011,
  /** The gateway holds as many agents as it may: try another gateway, later. */
  gatewayFull: 4012,
} as const;
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/** The `code` of the error frame the gateway sends before it closes a connection it refuses. */
export const GATEWAY_ERROR_CODES = [
  'bad_frame',
  'unsupported_version',
  'unauthorized',
  'policy_violation',
  'rate_limited',
  'hello_timeout',
  'gateway_full',
  'agent_too_old',
] as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];
