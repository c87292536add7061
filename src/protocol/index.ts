// The agent wire protocol's public surface: constants, the action schema and v1 frames with their codec.
export {
  AGENT_JOURNAL_SIZE,
  CLOSE_CODES,
  DEFAULT_MAX_FRAME_BYTES,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_MISSES_ALLOWED,
  KILL_GRACE_MS,
  LIVE_OUTPUT_CHUNK_BYTES,
  LIVE_OUTPUT_INTERVAL_MS,
  OUTPUT_CAP_BYTES,
  PROTOCOL_VERSION,
} from './constants';
export {
  MAX_COMMAND_BYTES,
  MAX_TIMEOUT_SEC,
  SHELLS,
  actionSchema,
  commandActionSchema,
  type Action,
  type CommandAction,
  type Shell,
} from './v1/action';
export {
  agentMessageSchema,
  deviceFactsSchema,
  gatewayMessageSchema,
  type AgentMessage,
  type AgentMessageBody,
  type DeviceFacts,
  type GatewayMessage,
  type GatewayMessageBody,
  type OutputMessage,
  type ResultMessage,
} from './v1/messages';
export { decodeAgentMessage, decodeGatewayMessage, encodeAgentMessage, encodeGatewayMessage, type Decoded } from './v1/codec';
