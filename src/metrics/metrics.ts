// Flotilla's Prometheus metrics: one registry per process, made by createMetrics() and handed to every
// role the process runs (API, worker, gateway; all three in the all-in-one). No label carries an
// unbounded value: statuses, route patterns, close codes, gateway ids, never device/batch ids or commands.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds: from a command handed to an agent to its result stored (commands run for ms to hours). */
const DISPATCH_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Metrics {
  registry: Registry;
  batchesStarted: Counter;
  batchesFinished: Counter<'status'>;
  executionsFinished: Counter<'status'>;
  dispatchDuration: Histogram<'status'>;
  agentsConnected: Gauge<'gateway'>;
  gatewayFrames: Counter<'gateway' | 'direction'>;
  gatewayRejections: Counter<'gateway' | 'reason' | 'close_code'>;
  gatewayEvents: Counter<'gateway' | 'event'>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  dbPoolInUse: Gauge;
  dbPoolWaiting: Gauge;
  eventStreamSubscribers: Gauge;
  reconcilerActions: Counter<'action'>;
  /** Runs `read` before every scrape (values kept elsewhere, such as the gateway's counters); answers a remover. */
  onScrape(read: () => void): () => void;
  /** The registry in Prometheus text format, after every onScrape reader ran. */
  scrape(): Promise<string>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const readers = new Set<() => void>();
  return {
    registry,
    batchesStarted: new Counter({ name: 'flotilla_batches_started_total', help: 'Batches whose workflow began dispatching', registers }),
    batchesFinished: new Counter({ name: 'flotilla_batches_finished_total', help: 'Batches finished by their workflow, by final status', labelNames: ['status'], registers }),
    executionsFinished: new Counter({
      name: 'flotilla_executions_finished_total',
      help: "Device executions by final status, counted when their batch finishes",
      labelNames: ['status'],
      registers,
    }),
    dispatchDuration: new Histogram({
      name: 'flotilla_dispatch_duration_seconds',
      help: 'Gateway: from a command handed to its agent to the result stored, by final status',
      labelNames: ['status'],
      buckets: DISPATCH_BUCKETS,
      registers,
    }),
    agentsConnected: new Gauge({ name: 'flotilla_gateway_agents_connected', help: 'Agents with a session on this gateway', labelNames: ['gateway'], registers }),
    gatewayFrames: new Counter({ name: 'flotilla_gateway_frames_total', help: 'WebSocket frames from agents (in) and to agents (out)', labelNames: ['gateway', 'direction'], registers }),
    gatewayRejections: new Counter({
      name: 'flotilla_gateway_rejected_connections_total',
      help: 'Agent connections the gateway closed, by reason and WebSocket close code',
      labelNames: ['gateway', 'reason', 'close_code'],
      registers,
    }),
    gatewayEvents: new Counter({
      name: 'flotilla_gateway_events_total',
      help: 'Everything the gateway counts (src/agent-gateway/counters.ts): connections, sessions, results, dispatches, heartbeat timeouts...',
      labelNames: ['gateway', 'event'],
      registers,
    }),
    httpRequests: new Counter({ name: 'flotilla_http_requests_total', help: 'API requests by route pattern and status', labelNames: ['method', 'route', 'status'], registers }),
    httpDuration: new Histogram({
      name: 'flotilla_http_request_duration_seconds',
      help: 'API request latency by route pattern (event streams: until the stream opens)',
      labelNames: ['method', 'route'],
      buckets: HTTP_BUCKETS,
      registers,
    }),
    dbPoolInUse: new Gauge({ name: 'flotilla_db_pool_in_use', help: 'PostgreSQL pool connections checked out', registers }),
    dbPoolWaiting: new Gauge({ name: 'flotilla_db_pool_waiting', help: 'Queries waiting for a PostgreSQL pool connection', registers }),
    eventStreamSubscribers: new Gauge({ name: 'flotilla_event_stream_subscribers', help: 'Open batch event streams (SSE) on this API', registers }),
    reconcilerActions: new Counter({ name: 'flotilla_reconciler_actions_total', help: 'Batches the reconciler started or ended', labelNames: ['action'], registers }),
    onScrape(read) {
      readers.add(read);
      return () => readers.delete(read);
    },
    async scrape() {
      for (const read of readers) read();
      return registry.metrics();
    },
  };
}
