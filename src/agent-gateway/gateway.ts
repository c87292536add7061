// The gateway process's core: a WebSocket server for agents and a Temporal worker that runs
// deliverToAgent on this gateway's own task queue, where the devices' sockets are.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { WebSocketServer } from 'ws';
import type { ServerConfig } from '../config';
import type { DatabaseHandle } from '../db/client';
import { DEVICE_SESSION_CHANNEL, parseSessionNotice, publishSessionNotice } from '../db/session-notices';
import type { Logger } from '../logger';
import { createMetrics, type Metrics } from '../metrics';
import { CLOSE_CODES, HEARTBEAT_MISSES_ALLOWED } from '../protocol/constants';
import { encodeGatewayMessage } from '../protocol/v1/codec';
import { gatewayTaskQueue, type GatewayActivities } from '../workflows/definitions';
import { createBriefDelivery, createGatewayActivities, type BriefDelivery } from './activities';
import type { InProcessGateways } from './in-process';
import { AgentConnection } from './connection';
import { newCounters, type GatewayCounters } from './counters';
import { startLastSeenFlusher } from './last-seen';
import { startLiveOutputWriter } from './live-output-writer';
import { watchGateway } from './metrics';
import { SessionRegistry } from './registry';
import { REJECTIONS } from './rejections';
import { onSessionNotice } from './session-notice';
import { wakeDeviceWorkflows } from './wake';

export interface GatewayDeps {
  db: DatabaseHandle;
  temporal: { connection: NativeConnection; client: Client };
  config: ServerConfig;
  logger: Logger;
  /** The process's metrics registry (a fresh one when not given). */
  metrics?: Metrics;
  /** Where the workflow worker of this process finds this gateway (the all-in-one); none: activity tasks only. */
  inProcess?: InProcessGateways;
}

export interface Gateway {
  url: string;
  gatewayId: string;
  counters: GatewayCounters;
  /** The activities this gateway's worker runs (the same instances, bound to its sessions). */
  activities: GatewayActivities;
  /** Its delivery for a workflow worker of the same process (registered with `inProcess` when given). */
  briefDelivery: BriefDelivery;
  sessionCount(): number;
  stop(): Promise<void>;
}

/** How long stop() lets in-flight deliveries finish before closing the sessions. */
const DRAIN_MS = 5_000;

export async function startGateway({ db, temporal, config, logger: parent, metrics = createMetrics(), inProcess }: GatewayDeps): Promise<Gateway> {
  const gatewayId = config.gatewayId;
  const logger = parent.child({ component: 'gateway', gatewayId });
  const counters = newCounters();
  const registry = new SessionRegistry();
  const connections = new Set<AgentConnection>();
  const liveOutput = startLiveOutputWriter(db.orm, logger);
  /** Last-seen flushes and liveness checks run twice per heartbeat interval. */
  const halfHeartbeatMs = Math.max(250, Math.floor(config.heartbeatMs / 2));
  const lastSeen = startLastSeenFlusher(db.orm, gatewayId, halfHeartbeatMs, logger);

  const deliveryDeps = { db, registry, gatewayId, secretKey: config.secretKey, counters, logger, metrics };
  const activities = createGatewayActivities(deliveryDeps);
  const briefDelivery = createBriefDelivery(deliveryDeps);
  const leaveProcess = inProcess?.add(gatewayId, briefDelivery) ?? (() => undefined);
  const unwatch = watchGateway(metrics, { gatewayId, counters, sessionCount: () => registry.sessions().length });
  const worker = await Worker.create({
    connection: temporal.connection,
    namespace: config.temporal.namespace,
    taskQueue: gatewayTaskQueue(gatewayId),
    activities,
    maxConcurrentActivityTaskExecutions: config.gatewayActivitySlots,
    // Heartbeats carry cancellation: send them at least every second so a cancel reaches the agent fast.
    maxHeartbeatThrottleInterval: '1s',
    shutdownGraceTime: '5s',
  });
  const workerRun = worker.run().catch((err: unknown) => {
    logger.error({ err }, 'gateway activity worker failed');
  });

  const unlisten = await db.listen(DEVICE_SESSION_CHANNEL, (payload) => {
    const notice = parseSessionNotice(payload);
    if (notice) onSessionNotice(notice, { gatewayId, registry, counters, logger });
  });

  const onOnline = (deviceId: string, sessionId: string): void => {
    void publishSessionNotice(db, { kind: 'moved', deviceId, sessionId, gatewayId })
      .catch((err: unknown) => logger.warn({ err }, 'could not announce session'));
    void wakeDeviceWorkflows(db.orm, temporal.client, deviceId, gatewayId, logger).catch((err: unknown) =>
      logger.warn({ deviceId, err }, 'could not wake device workflows'),
    );
  };

  const server = config.tls ? createHttpsServer({ cert: config.tls.cert, key: config.tls.key }) : createHttpServer();
  const wss = new WebSocketServer({ server, maxPayload: config.maxFrameBytes });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.gatewayPort, config.bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err }, 'gateway server error'));
  // A TLS handshake that fails (a client that does not trust the certificate) is the client's problem.
  server.on('tlsClientError', (err) => logger.debug({ err }, 'TLS handshake failed'));
  wss.on('error', (err) => logger.error({ err }, 'gateway server error'));
  wss.on('connection', (ws, req) => {
    if (connections.size >= config.maxAgentsPerGateway) {
      const { counter, errorCode, closeCode } = REJECTIONS.gatewayFull;
      counters[counter] += 1;
      logger.warn({ remote: req.socket.remoteAddress, limit: config.maxAgentsPerGateway }, 'agent refused: gateway full');
      ws.send(encodeGatewayMessage({ type: 'error', code: errorCode, message: `this gateway holds its maximum of ${config.maxAgentsPerGateway} agents` }));
      counters.framesOut += 1;
      ws.close(closeCode, errorCode);
      setTimeout(() => ws.terminate(), 2_000).unref();
      return;
    }
    const conn = new AgentConnection(
      ws,
      { db, registry, gatewayId, heartbeatMs: config.heartbeatMs, minAgentVersion: config.minAgentVersion, maxMessagesPerSec: config.agentMaxMessagesPerSec, counters, liveOutput, logger, touch: lastSeen.touch, onOnline },
      req.socket.remoteAddress ?? 'unknown',
    );
    connections.add(conn);
    void conn.closed.then(() => connections.delete(conn));
  });

  const silentAfter = config.heartbeatMs * HEARTBEAT_MISSES_ALLOWED;
  const liveness = setInterval(() => {
    const now = Date.now();
    for (const conn of connections) {
      if (conn.sessionId && now - conn.lastFrameAt > silentAfter) {
        counters.heartbeatTimeouts += 1;
        logger.warn({ deviceId: conn.deviceId, silentMs: now - conn.lastFrameAt }, 'agent heartbeat timeout');
        conn.close(CLOSE_CODES.heartbeatTimeout, 'heartbeat timeout');
      }
    }
  }, halfHeartbeatMs);
  liveness.unref();

  const port = (server.address() as AddressInfo).port;
  const url = `${config.tls ? 'wss' : 'ws'}://${config.bindHost}:${port}`;
  logger.info({ url, taskQueue: gatewayTaskQueue(gatewayId) }, 'gateway listening');

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    leaveProcess();
    clearInterval(liveness);
    const closedServer = new Promise<void>((resolve) => wss.close(() => server.close(() => resolve())));
    if (worker.getState() === 'RUNNING') worker.shutdown();
    // Let deliveries whose results are about to arrive finish; the rest fail as disconnected and are retried elsewhere.
    const drainUntil = Date.now() + DRAIN_MS;
    while (registry.pendingCount() > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
    for (const conn of connections) conn.close(CLOSE_CODES.shuttingDown, 'gateway shutting down');
    await Promise.all([...connections].map((c) => c.closed));
    await workerRun;
    await closedServer;
    lastSeen.stop();
    await lastSeen.flush();
    await liveOutput.stop();
    await unlisten();
    unwatch();
    logger.info('gateway stopped');
  };

  return {
    url,
    gatewayId,
    counters,
    activities,
    briefDelivery,
    sessionCount: () => registry.sessions().length,
    stop: () => (stopping ??= stop()),
  };
}
