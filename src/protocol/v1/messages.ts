// The agent <-> gateway wire protocol, version 1. Every frame is JSON `{v, type, id, ...}` and is
// checked by one discriminated union on each side. A breaking change goes into a v2 folder.
import { z } from 'zod';
import { OUTPUT_STREAMS } from '../../domain/batch-events';
import { AGENT_RESULT_STATUSES } from '../../domain/status';
import { LIVE_OUTPUT_CHUNK_BYTES } from '../constants';
import { actionSchema } from './action';

const frame = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ v: z.literal(1), type: z.literal(type), id: z.string().min(1).max(64), ...shape }).strict();

/** An ISO-8601 time that names an instant PostgreSQL can store (year 1 or later, after its offset). */
const isoTime = z
  .string()
  .datetime({ offset: true })
  .refine((v) => new Date(v).getUTCFullYear() >= 1, 'must be in year 1 or later');
const executionId = z.string().uuid();

export const deviceFactsSchema = z
  .object({
    hostname: z.string().max(255),
    os: z.string().max(255),
    arch: z.string().max(64),
    agentVersion: z.string().max(64),
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
});

/** A piece of a running command's output, sent as it comes; the result stays authoritative. */
export const outputFrame = frame('output', {
  executionId,
  stream: z.enum(OUTPUT_STREAMS),
  // A chunk is at most LIVE_OUTPUT_CHUNK_BYTES of UTF-8, plus a character carried over from the last one.
  text: z.string().min(1).max(2 * LIVE_OUTPUT_CHUNK_BYTES),
});

export const agentMessageSchema = z.discriminatedUnion('type', [helloFrame, heartbeatFrame, startedFrame, resultFrame, outputFrame]);
export type AgentMessage = z.infer<typeof agentMessageSchema>;
export type OutputMessage = z.infer<typeof outputFrame>;
export type ResultMessage = z.infer<typeof resultFrame>;

// Gateway -> agent
export const welcomeFrame = frame('welcome', {
  sessionId: z.string().min(1),
  heartbeatIntervalMs: z.number().int().positive(),
});
export const dispatchFrame = frame('dispatch', { executionId, action: actionSchema });
export const cancelFrame = frame('cancel', { executionId });
export const resultAckFrame = frame('result.ack', { executionId });
export const errorFrame = frame('error', { code: z.string(), message: z.string() });

export const gatewayMessageSchema = z.discriminatedUnion('type', [
  welcomeFrame,
  dispatchFrame,
  cancelFrame,
  resultAckFrame,
  errorFrame,
]);
export type GatewayMessage = z.infer<typeof gatewayMessageSchema>;

type Outgoing<U> = U extends { v: 1; id: string } ? Omit<U, 'v' | 'id'> : never;
export type AgentMessageBody = Outgoing<AgentMessage>;
export type GatewayMessageBody = Outgoing<GatewayMessage>;
