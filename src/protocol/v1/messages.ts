// The agent <-> gateway wire protocol, version 1. Every frame is JSON `{v, type, id, ...}` and is
// checked by one discriminated union on each side. A breaking change goes into a v2 folder.
import { z } from 'zod';
import { LIVE_OUTPUT_CHUNK_BYTES, PROTOCOL_VERSION } from '../constants';
import { actionSchema, MAX_STEPS, STEP_MODES, stepsSchema } from './action';
import { AGENT_RESULT_STATUSES, OUTPUT_STREAMS, STEP_STATUSES } from './reported';

const frame = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal(type), id: z.string().min(1).max(64), ...shape }).strict();

/** An ISO-8601 time that names an instant PostgreSQL can store (year 1 or later, after its offset). */
const isoTime = z
  .string()
  .datetime({ offset: true })
  .refine((v) => new Date(v).getUTCFullYear() >= 1, 'must be in year 1 or later');
const executionId = z.string().uuid();
const fileId = z.string().uuid();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** One step's outcome, inside a result frame. */
export const stepResultSchema = z
  .object({
    index: z.number().int().min(0).max(MAX_STEPS - 1),
    status: z.enum(STEP_STATUSES),
    exitCode: z.number().int().nullable(),
    stdout: z.string(),
    stderr: z.string(),
    truncated: z.boolean(),
    startedAt: isoTime.nullable(),
    completedAt: isoTime.nullable(),
    error: z.string().max(4096).nullable(),
    /** File steps: the size and sha256 of what was written. */
    bytes: z.number().int().min(0).nullable().default(null),
    sha256: sha256.nullable().default(null),
  })
  .strict();
export type StepResult = z.infer<typeof stepResultSchema>;

export const deviceFactsSchema = z
  .object({
    hostname: z.string().max(255),
    os: z.string().max(255).describe('operating system and release, as the agent reads them'),
    arch: z.string().max(64).describe('CPU architecture, e.g. x64 or arm64'),
    agentVersion: z.string().max(64).describe('version of the agent program'),
    /** The wire protocol the agent speaks (absent from agents older than this field). */
    protocolVersion: z.number().int().positive().optional().describe('the wire protocol version the agent speaks'),
  })
  .strict();
export type DeviceFacts = z.infer<typeof deviceFactsSchema>;

// Agent -> gateway
export const helloFrame = frame('hello', {
  deviceId: z.string().uuid(),
  token: z.string().min(16).max(256),
  facts: deviceFactsSchema,
  /** Executions the agent is running right now (after a reconnect). */
  running: z.array(executionId).max(10_000).default([]),
});
export const heartbeatFrame = frame('heartbeat', {});
export const startedFrame = frame('started', { executionId, startedAt: isoTime });
export const resultFrame = frame('result', {
  executionId,
  status: z.enum(AGENT_RESULT_STATUSES),
  exitCode: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean(),
  startedAt: isoTime.nullable(),
  completedAt: isoTime,
  error: z.string().max(4096).nullable(),
  /** Every step's outcome in step order; the fields above are the execution's, derived from them. */
  steps: z.array(stepResultSchema).max(MAX_STEPS).optional(),
});
/** Asks for the next chunk of a file a dispatched file step pushes. */
export const fileGetFrame = frame('file.get', { executionId, fileId, offset: z.number().int().min(0) });

/** A piece of a running command's output, sent as it comes; the result stays authoritative. */
export const outputFrame = frame('output', {
  executionId,
  stream: z.enum(OUTPUT_STREAMS),
  // A chunk is at most LIVE_OUTPUT_CHUNK_BYTES of UTF-8, plus a character carried over from the last one.
  text: z.string().min(1).max(2 * LIVE_OUTPUT_CHUNK_BYTES),
});

export const agentMessageSchema = z.discriminatedUnion('type', [
  helloFrame,
  heartbeatFrame,
  startedFrame,
  resultFrame,
  outputFrame,
  fileGetFrame,
]);
export type AgentMessage = z.infer<typeof agentMessageSchema>;
export type OutputMessage = z.infer<typeof outputFrame>;
export type ResultMessage = z.infer<typeof resultFrame>;
export type FileGetMessage = z.infer<typeof fileGetFrame>;

// Gateway -> agent
export const welcomeFrame = frame('welcome', {
  sessionId: z.string().min(1),
  heartbeatIntervalMs: z.number().int().positive(),
});
/**
 * One execution: `steps` run in order (or at once with stepMode parallel). Older gateways send a
 * single `action` instead; an agent treats it as one step.
 */
export const dispatchFrame = frame('dispatch', {
  executionId,
  action: actionSchema.optional(),
  steps: stepsSchema.optional(),
  /** Absent: sequential. */
  stepMode: z.enum(STEP_MODES).optional(),
}).refine((f) => (f.action === undefined) !== (f.steps === undefined), { message: 'give exactly one of action or steps' });
/**
 * A piece of a file, base64, from `offset`. The last one has `eof` with the file's size and the sha256
 * recorded at upload, which the agent checks. `error` when the file cannot be served.
 */
export const fileChunkFrame = frame('file.chunk', {
  executionId,
  fileId,
  offset: z.number().int().min(0),
  data: z.string().max(2 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/),
  eof: z.boolean(),
  size: z.number().int().min(0).optional(),
  sha256: sha256.optional(),
  error: z.string().max(4096).optional(),
});
export const cancelFrame = frame('cancel', { executionId });
export const resultAckFrame = frame('result.ack', { executionId });
export const errorFrame = frame('error', { code: z.string(), message: z.string() });

export const gatewayMessageSchema = z.discriminatedUnion('type', [
  welcomeFrame,
  dispatchFrame,
  fileChunkFrame,
  cancelFrame,
  resultAckFrame,
  errorFrame,
]);
export type GatewayMessage = z.infer<typeof gatewayMessageSchema>;
export type DispatchMessage = z.infer<typeof dispatchFrame>;
export type FileChunkMessage = z.infer<typeof fileChunkFrame>;

type Outgoing<U> = U extends { v: typeof PROTOCOL_VERSION; id: string } ? Omit<U, 'v' | 'id'> : never;
export type AgentMessageBody = Outgoing<AgentMessage>;
export type GatewayMessageBody = Outgoing<GatewayMessage>;
