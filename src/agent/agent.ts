// The agent: keeps one session with a gateway (reconnecting with the one backoff policy), runs what
// it is dispatched at most once per execution id, and re-sends results until they are acknowledged.
import WebSocket from 'ws';
import type { AgentConfig } from '../config';
import type { Logger } from '../logger';
import { DEFAULT_MAX_FRAME_BYTES, HEARTBEAT_MISSES_ALLOWED } from '../protocol/constants';
import { decodeGatewayMessage, encodeAgentMessage } from '../protocol/v1/codec';
import type { AgentMessageBody, DispatchMessage, GatewayMessage } from '../protocol/v1/messages';
import { abortableSleep, Backoff, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { childEnvironment, type ChildEnvOptions } from './child-env';
import { logClosed, logConnectionError } from './connection-log';
import { collectFacts } from './facts';
import { fitResult } from './fit-result';
import { Journal } from './journal';
import { FileChunks } from './file-chunks';
import { LiveOutput } from './live-output';
import { createPolicy } from './policy';
import type { CommandResult } from './runner';
import { startSteps, type RunningSteps } from './steps';

export interface AgentOptions {
  backoff?: BackoffPolicy;
  /** How long the gateway has to answer hello. */
  welcomeTimeoutMs?: number;
  /** What commands and scripts see of the service environment (the agent's own variables never). */
  childEnv?: ChildEnvOptions;
}

export interface AgentHandle {
  /** Resolves after the first welcome. */
  readonly ready: Promise<void>;
  /** Stops taking dispatches, lets running commands finish up to graceMs (then cancels them), disconnects. */
  stop(graceMs?: number): Promise<void>;
}

/** A session that stayed up this long resets the reconnect backoff. */
const STABLE_SESSION_MS = 10_000;

export function runAgent(config: AgentConfig, logger: Logger, opts: AgentOptions = {}): AgentHandle {
  const journal = new Journal(config.dataDir);
  const running = new Map<string, RunningSteps>();
  const policy = createPolicy(config.allowCommands, config.allowFileDirs);
  const backoff = new Backoff(opts.backoff ?? DEFAULT_BACKOFF);
  const stopSignal = new AbortController();
  const baseEnv = childEnvironment(process.env, { ...opts.childEnv, secrets: [config.token] });
  /** The welcomed session, if any. */
  let session: WebSocket | undefined;
  /** The socket being connected or connected. */
  let socket: WebSocket | undefined;
  let stopping = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));

  const send = (body: AgentMessageBody): void => {
    if (session?.readyState === WebSocket.OPEN) session.send(encodeAgentMessage(body));
  };
  const sendResult = (executionId: string, result: CommandResult): void => send({ type: 'result', executionId, ...result });
  const chunks = new FileChunks(send);

  function dispatch({ executionId, action, steps, stepMode }: DispatchMessage): void {
    const known = journal.get(executionId);
    if (known?.kind === 'finished') {
      sendResult(executionId, known.result);
      return;
    }
    // Running: its result is sent when it ends. Never start the same execution twice.
    if (known?.kind === 'running') return;
    if (stopping) {
      logger.info({ executionId }, 'dispatch refused: agent is stopping');
      return;
    }
    journal.started(executionId);
    logger.info({ executionId }, 'exec start');
    // Live output of every step of the execution, in the order it is printed.
    const live = new LiveOutput((stream, text) => send({ type: 'output', executionId, stream, text }));
    const cmd = startSteps(steps ?? (action ? [action] : []), stepMode ?? 'sequential', {
      policy,
      fetchChunk: (fileId, offset) => chunks.fetch(executionId, fileId, offset),
      onStarted: (startedAt) => send({ type: 'started', executionId, startedAt }),
      onOutput: (_step, stream, chunk) => live.push(stream, chunk),
      run: { baseEnv },
    });
    running.set(executionId, cmd);
    void cmd.result.then((raw) => {
      live.flush();
      const result = fitResult(raw);
      journal.finished(executionId, result);
      running.delete(executionId);
      logger.info({ executionId, status: result.status, exitCode: result.exitCode }, 'exec done');
      sendResult(executionId, result);
    });
  }

  function onMessage(message: Exclude<GatewayMessage, { type: 'welcome' }>): void {
    switch (message.type) {
      case 'dispatch':
        dispatch(message);
        return;
      case 'file.chunk':
        chunks.answer(message);
        return;
      case 'cancel':
        running.get(message.executionId)?.cancel();
        return;
      case 'result.ack':
        journal.acked(message.executionId);
        return;
      case 'error':
        logger.warn({ code: message.code, reason: message.message }, 'gateway reported an error');
        return;
    }
  }

  /** One session, from connect to close. */
  function connectOnce(gatewayUrl: string): Promise<{ upMs: number }> {
    return new Promise((resolve) => {
      // ca undefined: Node's bundled public CAs verify wss:// gateways.
      const ws = new WebSocket(gatewayUrl, { maxPayload: DEFAULT_MAX_FRAME_BYTES, handshakeTimeout: 10_000, ca: config.ca });
      socket = ws;
      let welcomedAt: number | undefined;
      let lastHeard = Date.now();
      let heartbeat: NodeJS.Timeout | undefined;
      const welcomeTimer = setTimeout(() => ws.terminate(), opts.welcomeTimeoutMs ?? 10_000);
      ws.on('open', () => {
        ws.send(encodeAgentMessage({ type: 'hello', deviceId: config.deviceId, token: config.token, facts: collectFacts(), running: [...running.keys()] }));
      });
      ws.on('pong', () => (lastHeard = Date.now()));
      ws.on('message', (data: WebSocket.RawData) => {
        lastHeard = Date.now();
        const decoded = decodeGatewayMessage(data.toString());
        if (!decoded.ok) {
          logger.warn({ reason: decoded.reason }, 'bad frame from gateway');
          return;
        }
        const message = decoded.message;
        if (message.type !== 'welcome') {
          if (welcomedAt !== undefined) onMessage(message);
          // Before the welcome, only an error says why the gateway is about to close.
          else if (message.type === 'error') logger.error({ code: message.code }, `gateway refused the connection: ${message.message}`);
          return;
        }
        clearTimeout(welcomeTimer);
        welcomedAt = Date.now();
        session = ws;
        const interval = message.heartbeatIntervalMs;
        heartbeat = setInterval(() => {
          if (Date.now() - lastHeard > interval * HEARTBEAT_MISSES_ALLOWED) {
            logger.warn('gateway silent: reconnecting');
            ws.terminate();
            return;
          }
          send({ type: 'heartbeat' });
          ws.ping();
        }, interval);
        logger.info({ gateway: gatewayUrl }, 'connected');
        markReady();
        for (const { executionId, result } of journal.unacked()) sendResult(executionId, result);
        chunks.resend();
      });
      ws.on('error', (err) => logConnectionError(logger, gatewayUrl, err));
      ws.on('close', (code, reason) => {
        clearTimeout(welcomeTimer);
        if (heartbeat) clearInterval(heartbeat);
        if (session === ws) session = undefined;
        if (socket === ws) socket = undefined;
        logClosed(logger, code, reason.toString(), welcomedAt !== undefined);
        resolve({ upMs: welcomedAt === undefined ? 0 : Date.now() - welcomedAt });
      });
    });
  }

  const loop = (async (): Promise<void> => {
    for (let attempt = 0; !stopSignal.signal.aborted; attempt++) {
      // After a lost session, the next gateway in the list: a dead gateway's devices fail over.
      const { upMs } = await connectOnce(config.gatewayUrls[attempt % config.gatewayUrls.length] as string);
      if (upMs >= STABLE_SESSION_MS) backoff.reset();
      if (stopSignal.signal.aborted) break;
      await backoff.wait(stopSignal.signal);
    }
  })();

  return {
    ready,
    async stop(graceMs = 10_000) {
      stopping = true;
      const pending = [...running.values()].map((c) => c.result);
      if (pending.length > 0) {
        const all = Promise.all(pending).then(() => true);
        const finished = await Promise.race([all, abortableSleep(graceMs).then(() => false)]);
        if (!finished) {
          for (const c of running.values()) c.cancel();
          await all;
        }
        // Give the gateway a moment to acknowledge the last results; unacknowledged ones are re-sent next start.
        for (let i = 0; i < 20 && session && journal.unacked().length > 0; i++) await abortableSleep(100);
      }
      stopSignal.abort();
      if (session) session.close(1000, 'agent stopping');
      else socket?.terminate();
      await loop;
      journal.close();
    },
  };
}
