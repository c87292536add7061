// Encoding and checked decoding of frames. Decoding never throws: it answers ok or a reason.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { PROTOCOL_VERSION } from '../constants';
import {
  agentMessageSchema,
  gatewayMessageSchema,
  type AgentMessage,
  type AgentMessageBody,
  type GatewayMessage,
  type GatewayMessageBody,
} from './messages';

export type Decoded<T> = { ok: true; message: T } | { ok: false; reason: string };

function decodeWith<T>(schema: z.ZodType<T>, raw: string): Decoded<T> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof json === 'object' && json !== null && 'v' in json && json.v !== PROTOCOL_VERSION) {
    return { ok: false, reason: `unsupported protocol version ${String(json.v)}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: first ? `${first.path.join('.') || 'frame'}: ${first.message}` : 'invalid frame' };
  }
  return { ok: true, message: parsed.data };
}

export const decodeAgentMessage = (raw: string): Decoded<AgentMessage> => decodeWith(agentMessageSchema, raw);
export const decodeGatewayMessage = (raw: string): Decoded<GatewayMessage> => decodeWith(gatewayMessageSchema, raw);

export function encodeAgentMessage(body: AgentMessageBody): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, id: randomUUID(), ...body });
}

export function encodeGatewayMessage(body: GatewayMessageBody): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, id: randomUUID(), ...body });
}
