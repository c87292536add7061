// One agent's WebSocket: the hello handshake, then its frames in arrival order. A bad frame is
// answered, counted, logged and closes the connection; it never throws out of here.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { DatabaseHandle } from '../db/client';
import { executionRoute, executionsNotDispatchedTo, markStarted, readOutcome, storeResult, wasDispatchedTo } from '../db/queries/agent-results';
import { findDeviceCredentials, markDeviceOnline, markSessionOffline } from '../db/queries/presence';
import type { Logger } from '../logger';
import { CLOSE_CODES } from '../protocol/constants';
import { decodeAgentMessage, encodeGatewayMessage } from '../protocol/v1/codec';
import type { AgentMessage, GatewayMessageBody, OutputMessage, ResultMessage } from '../protocol/v1/messages';
import { tokenMatches } from '../security/secrets';
import { agentVersionRefusal } from './agent-version';
import type { GatewayCounters } from './counters';
import { FileServer } from './file-server';
import { frameRate, type FrameRate } from './frame-rate';
import type { LiveOutputWriter } from './live-output-writer';
import type { LiveSession, SessionRegistry } from './registry';
import { REJECTIONS, type RejectionKind } from './rejections';

export interface ConnectionDeps {
  db: DatabaseHandle;
  registry: SessionRegistry;
  gatewayId: string;
  heartbeatMs: number;
  minAgentVersion?: string;
  /** Frames per second the agent may send; a flood closes the connection. */
  maxMessagesPerSec: number;
  counters: GatewayCounters;
  liveOutput: LiveOutputWriter;
  logger: Logger;
  /** Any frame from the device: liveness for the bulk last-seen flush. */
  touch(deviceId: string): void;
  /** After a device's session is established and recorded. */
  onOnline(deviceId: string, sessionId: string): void;
}

/** Time an agent has to send hello after connecting. */
export const HELLO_TIMEOUT_MS = 10_000;

const WS_OPEN = WebSocket.OPEN;
const CLOSE_HANDSHAKE_MS = 2_000;

export class AgentConnection implements LiveSession {
  sessionId = '';
  deviceId = '';
  lastFrameAt = Date.now();
  private authenticated = false;
  private closing = false;
  private queue: Promise<void> = Promise.resolve();
  /** Batch and device name of each execution this device streams output for (looked up once per execution). */
  private readonly outputRoutes = new Map<string, { batchId: string; deviceName: string }>();
  private readonly helloTimer: NodeJS.Timeout;
  private readonly rate: FrameRate;
  private readonly files: FileServer;
  /** Settles once the close is handled (device marked offline, deliveries failed). */
  readonly closed: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: ConnectionDeps,
    readonly remote: string,
  ) {
    deps.counters.connections += 1;
    this.rate = frameRate(deps.maxMessagesPerSec);
    this.files = new FileServer(deps.db.orm, () => this.deviceId, (body) => this.send(body));
    this.helloTimer = setTimeout(() => this.reject('helloTimeout', `no hello within ${HELLO_TIMEOUT_MS / 1000}s`), HELLO_TIMEOUT_MS);
    ws.on('message', (data: WebSocket.RawData) => {
      deps.counters.framesIn += 1;
      this.lastFrameAt = Date.now();
      if (!this.rate.allow()) return this.onFlood();
      const raw = data.toString();
      this.queue = this.queue.then(() => this.onFrame(raw)).catch((err: unknown) => this.onHandlerError(err));
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        deps.counters.oversizedFrames += 1;
        this.log().warn({ deviceId: this.deviceId || undefined, reason: 'frame too large' }, 'bad frame from agent');
      } else {
        this.log().debug({ err }, 'socket error');
      }
    });
    this.closed = new Promise((resolve) => {
      ws.once('close', () => {
        clearTimeout(this.helloTimer);
        void this.onClose().finally(resolve);
      });
    });
  }

  send(body: GatewayMessageBody): boolean {
    if (this.ws.readyState !== WS_OPEN || this.closing) return false;
    this.ws.send(encodeGatewayMessage(body));
    this.deps.counters.framesOut += 1;
    return true;
  }

  close(code: number, reason: string): void {
    this.closing = true;
    if (this.ws.readyState === WS_OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
    // A dead peer never completes the closing handshake: drop the socket shortly after.
    setTimeout(() => this.ws.terminate(), CLOSE_HANDSHAKE_MS).unref();
  }

  private log(): Logger {
    return this.deps.logger;
  }

  /** Counts the rejection; unless already closing, answers with an error frame, logs one line, closes. */
  private reject(kind: RejectionKind, reason: string): void {
    const { counter, errorCode, closeCode } = REJECTIONS[kind];
    if (counter !== null) this.deps.counters[counter] += 1;
    if (this.closing) return;
    this.send({ type: 'error', code: errorCode, message: reason });
    this.log().warn({ deviceId: this.deviceId || undefined, remote: this.remote, reason, closeCode }, 'agent connection rejected');
    this.close(closeCode, errorCode);
  }

  private async onFrame(raw: string): Promise<void> {
    if (this.closing) return;
    const decoded = decodeAgentMessage(raw);
    if (!decoded.ok) {
      this.reject(decoded.reason.startsWith('unsupported protocol version') ? 'unsupportedVersion' : 'badFrame', decoded.reason);
      return;
    }
    const message = decoded.message;
    if (!this.authenticated) {
      if (message.type !== 'hello') {
        this.reject('badFrame', `expected hello, got ${message.type}`);
        return;
      }
      await this.onHello(message);
      return;
    }
    this.deps.touch(this.deviceId);
    switch (message.type) {
      case 'hello':
        this.reject('badFrame', 'hello sent twice');
        return;
      case 'heartbeat':
        return;
      case 'started':
        if (await markStarted(this.deps.db.orm, message.executionId, this.deviceId, new Date(message.startedAt))) return;
        // Not changed: late (already running or final), or foreign.
        if (!(await wasDispatchedTo(this.deps.db.orm, message.executionId, this.deviceId))) this.foreign('started', [message.executionId]);
        return;
      case 'result':
        await this.onResult(message);
        return;
      case 'output':
        await this.onOutput(message);
        return;
      case 'file.get':
        await this.onFileGet(message);
        return;
    }
  }

  private async onHello(hello: Extract<AgentMessage, { type: 'hello' }>): Promise<void> {
    clearTimeout(this.helloTimer);
    this.deviceId = hello.deviceId;
    const tooOld = agentVersionRefusal(hello.facts, this.deps.minAgentVersion);
    if (tooOld) return this.reject('agentTooOld', tooOld);
    const device = await findDeviceCredentials(this.deps.db.orm, hello.deviceId);
    if (!device || !tokenMatches(hello.token, device.tokenHash)) {
      this.reject('unauthorized', device ? 'bad token' : 'unknown device');
      return;
    }
    // Ids of executions the agent never had may not even name a row (a deleted batch): only
    // executions that exist and were not dispatched to this device are foreign.
    const foreign = await executionsNotDispatchedTo(this.deps.db.orm, hello.deviceId, hello.running);
    if (foreign.length > 0) return this.foreign('hello', foreign);
    const sessionId = randomUUID();
    const recorded = await markDeviceOnline(this.deps.db.orm, {
      deviceId: hello.deviceId,
      tokenHash: device.tokenHash,
      gatewayId: this.deps.gatewayId,
      sessionId,
      facts: hello.facts,
    });
    if (!recorded) {
      this.reject('unauthorized', 'device deleted or token rotated');
      return;
    }
    this.sessionId = sessionId;
    this.authenticated = true;
    if (this.closing || this.ws.readyState !== WS_OPEN) {
      // The socket went away while the session was being recorded.
      await markSessionOffline(this.deps.db.orm, this.deviceId, sessionId);
      return;
    }
    const previous = this.deps.registry.set(this);
    if (previous) {
      this.deps.counters.replaced += 1;
      previous.close(CLOSE_CODES.replaced, 'replaced by a newer connection');
    }
    this.deps.counters.sessions += 1;
    this.send({ type: 'welcome', sessionId, heartbeatIntervalMs: this.deps.heartbeatMs });
    this.log().info({ deviceId: this.deviceId, sessionId, running: hello.running.length }, 'agent connected');
    this.deps.onOnline(this.deviceId, sessionId);
  }

  private async onOutput(chunk: OutputMessage): Promise<void> {
    let route = this.outputRoutes.get(chunk.executionId);
    if (route === undefined) {
      const found = await executionRoute(this.deps.db.orm, chunk.executionId);
      if (found?.deviceId !== this.deviceId || !found.dispatched) return this.foreign('output', [chunk.executionId]);
      route = { batchId: found.batchId, deviceName: found.deviceName };
      this.outputRoutes.set(chunk.executionId, route);
    }
    this.deps.liveOutput.push({ ...route, executionId: chunk.executionId, deviceId: this.deviceId, stream: chunk.stream, text: chunk.text });
  }

  private async onResult(result: ResultMessage): Promise<void> {
    const db = this.deps.db.orm;
    // Every chunk of live output is in the log before the result that ends it.
    this.outputRoutes.delete(result.executionId);
    await this.deps.liveOutput.flush();
    // Not written: a re-send of a stored result (acknowledged again), or a foreign execution.
    const written = await storeResult(db, this.deviceId, result);
    if (!written && !(await wasDispatchedTo(db, result.executionId, this.deviceId))) return this.foreign('result', [result.executionId]);
    this.deps.counters.results += 1;
    this.send({ type: 'result.ack', executionId: result.executionId });
    const outcome = written ?? (await readOutcome(db, result.executionId));
    if (outcome) this.deps.registry.resolveResult(result.executionId, outcome);
  }

  /** A frame naming executions never dispatched to this device: nothing is recorded, the connection ends. */
  private foreign(frame: string, executionIds: string[]): void {
    this.reject('policyViolation', `${frame} names execution ${executionIds.join(', ')}, not dispatched to this device`);
  }

  private onFlood(): void {
    if (this.closing) return;
    this.reject('rateLimited', `more than ${this.deps.maxMessagesPerSec} frames per second`);
  }

  /** Files only for executions dispatched to this device (else, like a foreign result, the connection ends). */
  private async onFileGet(m: Extract<AgentMessage, { type: 'file.get' }>): Promise<void> {
    const outcome = await this.files.serve(m);
    if (outcome.kind === 'foreign') {
      this.foreign('file.get', [m.executionId]);
    } else if (outcome.kind === 'bad') {
      this.reject('badFrame', outcome.reason);
    }
  }

  private onHandlerError(err: unknown): void {
    // A database failure: do not acknowledge; the agent re-sends after it reconnects.
    this.log().error({ deviceId: this.deviceId || undefined, err }, 'could not handle agent frame');
    this.close(1011, 'internal error');
  }

  private async onClose(): Promise<void> {
    this.closing = true;
    if (!this.authenticated) return;
    this.deps.registry.remove(this);
    try {
      await markSessionOffline(this.deps.db.orm, this.deviceId, this.sessionId);
    } catch (err) {
      this.log().error({ deviceId: this.deviceId, err }, 'could not mark device offline');
    }
    this.log().info({ deviceId: this.deviceId, sessionId: this.sessionId }, 'agent disconnected');
  }
}
