// Rows (made through the production queries) and raw WebSocket clients for the gateway tests: each test
// makes its own devices and executions.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Database } from '../../src/db/client';
import { insertBatch } from '../../src/db/queries/batches';
import { insertDevices } from '../../src/db/queries/devices';
import type { StoredAction } from '../../src/domain/work';
import type { StepMode } from '../../src/protocol/v1/action';
import { decodeGatewayMessage, encodeAgentMessage } from '../../src/protocol/v1/codec';
import type { AgentMessageBody, GatewayMessage } from '../../src/protocol/v1/messages';
import { hashToken, newToken } from '../../src/security/secrets';
import { batchWorkflowId } from '../../src/workflows/definitions';
import { waitFor } from '../helpers/ports';

export interface TestDevice {
  id: string;
  token: string;
}

export async function insertDevice(db: Database): Promise<TestDevice> {
  const id = randomUUID();
  const token = newToken('dev');
  await insertDevices(db, [{ id, name: `dev-${id.slice(0, 8)}`, hostname: null, tags: [], owner: 'test', tokenHash: hashToken(token) }]);
  return { id, token };
}

/** A batch of one device running the action(s); its one execution's id. */
export async function insertExecution(db: Database, deviceId: string, action: StoredAction | StoredAction[], stepMode: StepMode = 'sequential'): Promise<string> {
  const batchId = randomUUID();
  const executionId = randomUUID();
  await insertBatch(
    db,
    {
      id: batchId,
      owner: 'test',
      steps: Array.isArray(action) ? action : [action],
      stepMode,
      strategy: { mode: 'parallel', concurrency: 1, maxFailures: null, requested: { concurrency: 1, maxFailures: null } },
      targets: { deviceIds: [deviceId] },
      deliveryTimeoutSec: 60,
      deadlineSec: null,
      workflowId: batchWorkflowId(batchId),
      idempotencyKey: null,
      requestHash: null,
    },
    [{ id: deviceId, name: 'd' }],
    () => executionId,
  );
  return executionId;
}

export const shAction = (command: string, extra: Partial<Extract<StoredAction, { type: 'command' }>> = {}): StoredAction => ({
  type: 'command',
  shell: 'sh',
  timeoutSec: 30,
  command,
  ...extra,
});

export interface RawClient {
  ws: WebSocket;
  frames: GatewayMessage[];
  closed: Promise<{ code: number; reason: string }>;
  send(body: AgentMessageBody): void;
  sendRaw(data: string): void;
  waitFrame<T extends GatewayMessage['type']>(type: T): Promise<Extract<GatewayMessage, { type: T }>>;
}

/** A hand-driven agent connection, for frames a real agent never sends. */
export async function rawClient(url: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  const frames: GatewayMessage[] = [];
  ws.on('message', (d: WebSocket.RawData) => {
    const decoded = decodeGatewayMessage(d.toString());
    if (decoded.ok) frames.push(decoded.message);
  });
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    send: (body) => ws.send(encodeAgentMessage(body)),
    sendRaw: (data) => ws.send(data),
    waitFrame: async (type) =>
      waitFor(`${type} frame`, () => frames.find((f) => f.type === type) as Extract<GatewayMessage, { type: typeof type }> | undefined, 10_000, 20),
  };
}

export const FACTS = { hostname: 'test-host', os: 'Linux test', arch: 'x64', agentVersion: '0.0.0' };

export async function helloClient(url: string, device: TestDevice): Promise<RawClient & { sessionId: string }> {
  const c = await rawClient(url);
  c.send({ type: 'hello', deviceId: device.id, token: device.token, facts: FACTS, running: [] });
  const welcome = await c.waitFrame('welcome');
  return Object.assign(c, { sessionId: welcome.sessionId });
}
