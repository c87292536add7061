// A simulated fleet: N agents in this one process, each a real WebSocket client speaking protocol v1.
// Every dispatch is answered at once with `started` then a succeeded `result`. Run by the benchmark as a
// child process: `tsx bench/fleet.ts <plan.json>`; prints "connected N" on stdout once all N have a
// welcome, and exits when its stdin closes or on SIGTERM.
import { readFileSync } from 'node:fs';
import { arch, hostname, platform } from 'node:os';
import WebSocket from 'ws';
import { decodeGatewayMessage, encodeAgentMessage } from '../src/protocol';

export interface FleetPlan {
  gatewayUrl: string;
  devices: Array<{ id: string; token: string }>;
}

/** Handshakes in flight at once, so N connections do not all hit the gateway in the same instant. */
const CONNECT_WINDOW = 200;
const RECONNECT_DELAY_MS = 500;

const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as FleetPlan;
const facts = { hostname: hostname(), os: `${platform()} (simulated)`, arch: arch(), agentVersion: 'bench-fleet' };
const sockets = new Set<WebSocket>();
const welcomed = new Set<string>();
let stopping = false;
let reported = false;
let reconnects = 0;

function connect(device: { id: string; token: string }, onFirstWelcome: () => void): void {
  const ws = new WebSocket(plan.gatewayUrl, { perMessageDeflate: false });
  sockets.add(ws);
  let heartbeat: NodeJS.Timeout | undefined;
  let settled = false;
  const settle = (): void => {
    if (settled) return;
    settled = true;
    onFirstWelcome();
  };
  ws.on('open', () => ws.send(encodeAgentMessage({ type: 'hello', deviceId: device.id, token: device.token, facts, running: [] })));
  ws.on('message', (data) => {
    const decoded = decodeGatewayMessage(String(data));
    if (!decoded.ok) {
      process.stderr.write(`fleet: bad frame for ${device.id}: ${decoded.reason}\n`);
      return;
    }
    const msg = decoded.message;
    if (msg.type === 'welcome') {
      welcomed.add(device.id);
      heartbeat = setInterval(() => ws.send(encodeAgentMessage({ type: 'heartbeat' })), msg.heartbeatIntervalMs);
      settle();
      if (!reported && welcomed.size === plan.devices.length) {
        reported = true;
        process.stdout.write(`connected ${welcomed.size}\n`);
      }
    } else if (msg.type === 'dispatch') {
      const at = new Date().toISOString();
      ws.send(encodeAgentMessage({ type: 'started', executionId: msg.executionId, startedAt: at }));
      ws.send(
        encodeAgentMessage({
          type: 'result',
          executionId: msg.executionId,
          status: 'succeeded',
          exitCode: 0,
          stdout: 'ok',
          stderr: '',
          truncated: false,
          startedAt: at,
          completedAt: new Date().toISOString(),
          error: null,
        }),
      );
    } else if (msg.type === 'error') {
      process.stderr.write(`fleet: gateway error for ${device.id}: ${msg.code} ${msg.message}\n`);
    }
    // result.ack and cancel need no answer: every command has already finished.
  });
  ws.on('error', () => undefined);
  ws.on('close', (code) => {
    clearInterval(heartbeat);
    sockets.delete(ws);
    welcomed.delete(device.id);
    settle();
    if (stopping) return;
    reconnects += 1;
    process.stderr.write(`fleet: ${device.id} closed (${code}); reconnecting (${reconnects} so far)\n`);
    setTimeout(() => connect(device, () => undefined), RECONNECT_DELAY_MS + Math.random() * RECONNECT_DELAY_MS);
  });
}

function connectAll(): void {
  let next = 0;
  const startNext = (): void => {
    const device = plan.devices[next++];
    if (device && !stopping) connect(device, startNext);
  };
  for (let i = 0; i < Math.min(CONNECT_WINDOW, plan.devices.length); i++) startNext();
}

function stop(): void {
  if (stopping) return;
  stopping = true;
  for (const ws of sockets) ws.close(1000);
  setTimeout(() => process.exit(0), 1000).unref();
}

process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
connectAll();
