// The floor: the same fan-out with nothing but WebSocket. A tiny server speaks the gateway side of
// protocol v1 (welcome, dispatch, result.ack) to the simulated fleet, with the same sliding window of C
// and no Temporal, no database. Its wall time is what the full path is compared against.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeAgentMessage, encodeGatewayMessage, HEARTBEAT_INTERVAL_MS, type CommandAction } from '../src/protocol';
import { newToken } from '../src/security/secrets';
import { startFleet } from './fleet-process';

export const BENCH_ACTION: CommandAction = { type: 'command', command: 'true', shell: 'sh', timeoutSec: 60 };

export interface FloorResult {
  seconds: number;
}

/** Runs `count` devices through a window of `concurrency`, each awaiting its result; answers the wall time. */
export async function slidingWindow(count: number, concurrency: number, run: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await run(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

export async function measureFloor(opts: { devices: number; concurrency: number; connectTimeoutMs: number }): Promise<FloorResult> {
  const devices = Array.from({ length: opts.devices }, () => ({ id: randomUUID(), token: newToken('fla') }));
  const sockets = new Map<string, WebSocket>();
  const pending = new Map<string, () => void>();
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (ws) => {
    let deviceId: string | undefined;
    ws.on('message', (data) => {
      const decoded = decodeAgentMessage(String(data));
      if (!decoded.ok) return;
      const msg = decoded.message;
      if (msg.type === 'hello') {
        deviceId = msg.deviceId;
        sockets.set(deviceId, ws);
        ws.send(encodeGatewayMessage({ type: 'welcome', sessionId: randomUUID(), heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS }));
      } else if (msg.type === 'result') {
        ws.send(encodeGatewayMessage({ type: 'result.ack', executionId: msg.executionId }));
        pending.get(msg.executionId)?.();
        pending.delete(msg.executionId);
      }
    });
    ws.on('close', () => {
      if (deviceId && sockets.get(deviceId) === ws) sockets.delete(deviceId);
    });
  });
  const { port } = server.address() as AddressInfo;
  const fleet = await startFleet({ gatewayUrl: `ws://127.0.0.1:${port}`, devices }, opts.connectTimeoutMs);
  try {
    const started = performance.now();
    await slidingWindow(devices.length, opts.concurrency, (i) => {
      const ws = sockets.get(devices[i]!.id);
      if (!ws) return Promise.reject(new Error(`floor: device ${i} is not connected`));
      const executionId = randomUUID();
      const done = new Promise<void>((resolve) => pending.set(executionId, resolve));
      ws.send(encodeGatewayMessage({ type: 'dispatch', executionId, steps: [BENCH_ACTION] }));
      return done;
    });
    return { seconds: (performance.now() - started) / 1000 };
  } finally {
    await fleet.stop();
    for (const ws of server.clients) ws.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
