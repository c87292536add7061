// The gateway process's core: a WebSocket server for agents and a Temporal worker that runs
// deliverToAgent on this gateway's own task queue, where the devices' sockets are.
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { WebSocketServer } from 'ws';
import type { ServerConfig } from '../config';
import type { DatabaseHandle } from '../db/client';
import type { Logger } from '../logger';
import { CLOSE_CODES, HEARTBEAT_MISSES_ALLOWED } from '../protocol/constants';
import { gatewayTaskQueue, type GatewayActivities } from '../workflows/definitions';
import { createGatewayActivities } from './activities';
import { AgentConnection } from './connection';
import { newCounters, type GatewayCounters } from './counters';
import { startLastSeenFlusher } from './last-seen';
import { startLiveOutputWriter } from './live-output-writer';
import { SessionRegistry } from './registry';
import { wakeDeviceWorkflows } from './wake';

/** NOTIFY channel on which a gateway announces that it took over a device's session. */
export const DEVICE_SESSION_CHANNEL = 'flotilla_device_session';

export interface GatewayDeps {
  db: DatabaseHandle;
  temporal: { connection: NativeConnection; client: Client };
  config: ServerConfig;
  logger: Logger;
}

export interface Gateway {
  url: string;
  gatewayId: string;
  counters: GatewayCounters;
  /** The activities this gateway's worker runs (the same instances, bound to its sessions). */
  activities: GatewayActivities;
  sessionCount(): number;
  stop(): Promise<void>;
}

interface SessionNotice {
  deviceId: string;
  sessionId: string;
  gatewayId: string;
}

/** How long stop() lets in-flight deliveries finish before closing the sessions. */
const DRAIN_MS = 5_000;

export async function startGateway({ db, temporal, config, logger: parent }: GatewayDeps): Promise<Gateway> {
  const gatewayId = config.gatewayId;
  const logger = parent.child({ component: 'gateway', gatewayId });
  const counters = newCounters();
  const registry = new SessionRegistry();
  const connections = new Set<AgentConnection>();
  const liveOutput = startLiveOutputWriter(db.db, logger);
  const lastSeen = startLastSeenFlusher(db.db, gatewayId, Math.max(250, Math.floor(config.heartbeatMs / 2)), logger);

  const activities = createGatewayActivities({ db, registry, gatewayId, secretKey: config.secretKey, counters, logger });
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
    logger.error({ err: err instanceof Error ? err.message : String(err) }, 'gateway activity worker failed');
  });

  const unlisten = await db.listen(DEVICE_SESSION_CHANNEL, (payload) => {
    let notice: SessionNotice;
    try {
      notice = JSON.parse(payload) as SessionNotice;
    } catch {
      return;
    }
    if (notice.gatewayId === gatewayId) return;
    const local = registry.get(notice.deviceId);
    if (local && local.sessionId !== notice.sessionId) {
      counters.replaced += 1;
      local.close(CLOSE_CODES.replaced, 'replaced by a connection on another gateway');
    }
  });

  const onOnline = (deviceId: string, sessionId: string): void => {
    void db
      .notify(DEVICE_SESSION_CHANNEL, JSON.stringify({ deviceId, sessionId, gatewayId } satisfies SessionNotice))
      .catch((err: unknown) => logger.warn({ err: String(err) }, 'could not announce session'));
    void wakeDeviceWorkflows(db.db, temporal.client, deviceId, gatewayId, logger).catch((err: unknown) =>
      logger.warn({ deviceId, err: err instanceof Error ? err.message : String(err) }, 'could not wake device workflows'),
    );
  };

  const wss = new WebSocketServer({ host: config.bindHost, port: config.gatewayPort, maxPayload: config.maxFrameBytes });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('error', (err) => logger.error({ err: err.message }, 'gateway server error'));
  wss.on('connection', (ws, req) => {
    const conn = new AgentConnection(
      ws,
      { db, registry, gatewayId, heartbeatMs: config.heartbeatMs, counters, liveOutput, logger, touch: lastSeen.touch, onOnline },
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
  }, Math.max(250, Math.floor(config.heartbeatMs / 2)));
  liveness.unref();

  const port = (wss.address() as AddressInfo).port;
  const url = `ws://${config.bindHost}:${port}`;
  logger.info({ url, taskQueue: gatewayTaskQueue(gatewayId) }, 'gateway listening');

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    clearInterval(liveness);
    const closedServer = new Promise<void>((resolve) => wss.close(() => resolve()));
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
    logger.info('gateway stopped');
  };

  return {
    url,
    gatewayId,
    counters,
    activities,
    sessionCount: () => registry.sessions().length,
    stop: () => (stopping ??= stop()),
  };
}
