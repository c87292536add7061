// A simulated fleet: N agents in this one process, each a real WebSocket client speaking protocol v1.
// Every dispatch is answered with `started` then a succeeded `result` (at once, or after `workMs`), shaped
// as the real agent sends it: the one step's result, with its output, in `steps`.
// Like the real agent, each device remembers what it ran: a re-sent dispatch is answered from memory,
// never run again, and results are re-sent until acknowledged. With `journalFile`, every run and every
// acknowledgement is appended there ("ran <execution> <device>", "acked <execution>") so duplicates and
// lost results can be counted; with `churnPerSec`, that many random sessions a second are dropped and
// reconnect. Run by the benchmark as a child process: `tsx bench/fleet.ts <plan.json>`; prints
// "connected N" on stdout once all N have a welcome, and exits when its stdin closes or on SIGTERM.
import { createWriteStream, readFileSync } from 'node:fs';
import { arch, hostname, platform } from 'node:os';
import WebSocket from 'ws';
import { decodeGatewayMessage, encodeAgentMessage, type AgentMessageBody } from '../src/protocol';

export interface FleetPlan {
  gatewayUrl: string;
  devices: Array<{ id: string; token: string }>;
  workMs?: number;
  journalFile?: string;
  churnPerSec?: number;
}

/** Handshakes in flight at once, so N connections do not all hit the gateway in the same instant. */
const CONNECT_WINDOW = 200;
const RECONNECT_DELAY_MS = 500;

type ResultBody = Extract<AgentMessageBody, { type: 'result' }>;

interface DeviceState {
  ws?: WebSocket;
  /** Every execution this device ran, with its result once finished (the agent's journal). */
  ran: Map<string, ResultBody | undefined>;
  unacked: Set<string>;
}

const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as FleetPlan;
const facts = { hostname: hostname(), os: `${platform()} (simulated)`, arch: arch(), agentVersion: 'bench-fleet' };
const journal = plan.journalFile ? createWriteStream(plan.journalFile, { flags: 'a' }) : undefined;
const states = new Map(plan.devices.map((d) => [d.id, { ran: new Map(), unacked: new Set() } as DeviceState]));
const sockets = new Set<WebSocket>();
const welcomed = new Set<string>();
let stopping = false;
let reported = false;
let reconnects = 0;
let churner: NodeJS.Timeout | undefined;

function sendTo(state: DeviceState, body: AgentMessageBody): void {
  if (state.ws?.readyState === WebSocket.OPEN) state.ws.send(encodeAgentMessage(body));
}

function finish(state: DeviceState, executionId: string, startedAt: string): void {
  const completedAt = new Date().toISOString();
  const step = { index: 0, status: 'succeeded', exitCode: 0, stdout: 'ok', stderr: '', truncated: false, startedAt, completedAt, error: null, bytes: null, sha256: null } as const;
  const result: ResultBody = { type: 'result', executionId, status: 'succeeded', exitCode: 0, stdout: '', stderr: '', truncated: false, startedAt, completedAt, error: null, steps: [step] };
  state.ran.set(executionId, result);
  state.unacked.add(executionId);
  sendTo(state, result);
}

function onDispatch(device: string, state: DeviceState, executionId: string): void {
  if (state.ran.has(executionId)) {
    // A re-sent dispatch: answer what is known; a running one answers when it finishes.
    const known = state.ran.get(executionId);
    if (known) sendTo(state, known);
    return;
  }
  state.ran.set(executionId, undefined);
  journal?.write(`ran ${executionId} ${device}\n`);
  const at = new Date().toISOString();
  sendTo(state, { type: 'started', executionId, startedAt: at });
  if (plan.workMs) setTimeout(() => finish(state, executionId, at), plan.workMs);
  else finish(state, executionId, at);
}

function connect(device: { id: string; token: string }, onFirstWelcome: () => void): void {
  const state = states.get(device.id)!;
  const ws = new WebSocket(plan.gatewayUrl, { perMessageDeflate: false });
  state.ws = ws;
  sockets.add(ws);
  let heartbeat: NodeJS.Timeout | undefined;
  let settled = false;
  const settle = (): void => {
    if (settled) return;
    settled = true;
    onFirstWelcome();
  };
  const running = (): string[] => [...state.ran].filter(([, r]) => r === undefined).map(([id]) => id);
  ws.on('open', () => ws.send(encodeAgentMessage({ type: 'hello', deviceId: device.id, token: device.token, facts, running: running() })));
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
      for (const id of state.unacked) sendTo(state, state.ran.get(id)!);
      settle();
      if (!reported && welcomed.size === plan.devices.length) {
        reported = true;
        process.stdout.write(`connected ${welcomed.size}\n`);
        // Churn starts once the whole fleet is in, so "connected N" is reached.
        if (plan.churnPerSec) churner = churn(plan.churnPerSec);
      }
    } else if (msg.type === 'dispatch') {
      onDispatch(device.id, state, msg.executionId);
    } else if (msg.type === 'result.ack') {
      if (state.unacked.delete(msg.executionId)) journal?.write(`acked ${msg.executionId}\n`);
    } else if (msg.type === 'error') {
      process.stderr.write(`fleet: gateway error for ${device.id}: ${msg.code} ${msg.message}\n`);
    }
    // cancel needs no answer: every command finishes within workMs.
  });
  ws.on('error', () => undefined);
  ws.on('close', (code) => {
    clearInterval(heartbeat);
    sockets.delete(ws);
    welcomed.delete(device.id);
    settle();
    if (stopping) return;
    reconnects += 1;
    if (code !== 1000) process.stderr.write(`fleet: ${device.id} closed (${code}); reconnecting (${reconnects} so far)\n`);
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

/** Drops random live sessions at the planned rate; each reconnects like a real agent. */
function churn(perSec: number): NodeJS.Timeout {
  return setInterval(() => {
    const open = [...sockets].filter((s) => s.readyState === WebSocket.OPEN);
    open[Math.floor(Math.random() * open.length)]?.close(1000);
  }, 1000 / perSec);
}


function stop(): void {
  if (stopping) return;
  stopping = true;
  clearInterval(churner);
  for (const ws of sockets) ws.close(1000);
  const exit = (): never => process.exit(0);
  if (journal) journal.end(exit);
  setTimeout(exit, 1000).unref();
}

process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
connectAll();
