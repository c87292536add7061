// Every Prometheus endpoint of a real stack (API, worker, gateway, the Temporal SDK of the worker and of
// the gateway) scraped before and after two batches on real agents: the counters move by exactly the
// batches' numbers, and no label carries a batch or device id.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deviceWorkflowId, type DeviceOutcome } from '../../src/workflows/definitions';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { freePort } from '../helpers/ports';
import { scrape, type Scrape } from '../helpers/prometheus';

let c: Cluster;
let devices: Device[];
let temporal: Client;
const tag = `metrics-${randomUUID().slice(0, 6)}`;
const ports = { worker: 0, gateway: 0, workerSdk: 0, gatewaySdk: 0 };
const url = (port: number): string => `http://127.0.0.1:${port}/metrics`;

beforeAll(async () => {
  for (const k of Object.keys(ports) as Array<keyof typeof ports>) ports[k] = await freePort();
  c = await startCluster(inject('temporalAddress'), {
    roleEnv: {
      worker: { FLOTILLA_WORKER_METRICS_PORT: String(ports.worker), FLOTILLA_SDK_METRICS_PORT: String(ports.workerSdk) },
      gateway: { FLOTILLA_GATEWAY_METRICS_PORT: String(ports.gateway), FLOTILLA_SDK_METRICS_PORT: String(ports.gatewaySdk) },
    },
  });
  temporal = new Client({ connection: await Connection.connect({ address: c.temporalAddress }), namespace: c.namespace });
  devices = [];
  for (let i = 0; i < 3; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  await Promise.all(devices.map((d) => c.startAgent(d)));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

const command = (cmd: string) => ({ type: 'command', command: cmd, shell: 'sh', timeoutSec: 30 });

async function scrapeAll(): Promise<Record<'api' | 'worker' | 'gateway' | 'workerSdk' | 'gatewaySdk', Scrape>> {
  const [api, worker, gateway, workerSdk, gatewaySdk] = await Promise.all([
    scrape(`${c.apiUrl}/metrics`),
    scrape(url(ports.worker)),
    scrape(url(ports.gateway)),
    scrape(url(ports.workerSdk)),
    scrape(url(ports.gatewaySdk)),
  ]);
  return { api, worker, gateway, workerSdk, gatewaySdk };
}

describe('metrics endpoints', () => {
  it('count a batch that succeeds and one that fails, exactly, on every role', async () => {
    const before = await scrapeAll();
    const ok = await c.startBatch({ targets: { tags: [tag] }, action: command('echo fine'), strategy: { mode: 'parallel', concurrency: 3 } });
    expect((await c.waitForBatch(ok)).batch.status).toBe('succeeded');
    const bad = await c.startBatch({ targets: { deviceIds: [devices[0]!.id] }, action: command('echo "disk full" >&2; echo more >&2; exit 3'), strategy: { mode: 'parallel', concurrency: 1 } });
    expect((await c.waitForBatch(bad)).batch.status).toBe('failed');
    const after = await scrapeAll();
    const moved = (role: keyof typeof after, name: string, labels?: Record<string, string>): number =>
      after[role].value(name, labels) - before[role].value(name, labels);

    // Worker: batches and executions, by status.
    expect(moved('worker', 'flotilla_batches_started_total')).toBe(2);
    expect(moved('worker', 'flotilla_batches_finished_total', { status: 'succeeded' })).toBe(1);
    expect(moved('worker', 'flotilla_batches_finished_total', { status: 'failed' })).toBe(1);
    expect(moved('worker', 'flotilla_batches_finished_total')).toBe(2);
    expect(moved('worker', 'flotilla_executions_finished_total', { status: 'succeeded' })).toBe(3);
    expect(moved('worker', 'flotilla_executions_finished_total', { status: 'failed' })).toBe(1);
    expect(moved('worker', 'flotilla_executions_finished_total')).toBe(4);
    expect(after.worker.value('flotilla_db_pool_in_use')).toBeGreaterThanOrEqual(0);

    // Gateway: one dispatch-to-result latency per device execution, frames both ways, the agents on it.
    expect(moved('gateway', 'flotilla_dispatch_duration_seconds_count', { status: 'succeeded' })).toBe(3);
    expect(moved('gateway', 'flotilla_dispatch_duration_seconds_count', { status: 'failed' })).toBe(1);
    expect(moved('gateway', 'flotilla_gateway_frames_total', { gateway: 'gw-a', direction: 'out' })).toBeGreaterThanOrEqual(4 * 2);
    expect(moved('gateway', 'flotilla_gateway_frames_total', { gateway: 'gw-a', direction: 'in' })).toBeGreaterThanOrEqual(4 * 2);
    expect(after.gateway.value('flotilla_gateway_agents_connected', { gateway: 'gw-a' })).toBe(3);
    expect(moved('gateway', 'flotilla_gateway_events_total', { gateway: 'gw-a', event: 'dispatches' })).toBe(4);
    expect(moved('gateway', 'flotilla_gateway_events_total', { gateway: 'gw-a', event: 'results' })).toBe(4);
    expect(after.gateway.text).toContain('flotilla_gateway_rejected_connections_total{gateway="gw-a",reason="unauthorized",close_code="4001"} 0');

    // API: requests by route pattern and status.
    expect(moved('api', 'flotilla_http_requests_total', { method: 'POST', route: '/v1/batches', status: '201' })).toBe(2);
    expect(moved('api', 'flotilla_http_request_duration_seconds_count', { method: 'POST', route: '/v1/batches' })).toBe(2);
    expect(moved('api', 'flotilla_http_requests_total', { method: 'GET', route: '/v1/batches/:id' })).toBeGreaterThanOrEqual(2);
    expect(after.api.value('flotilla_event_stream_subscribers')).toBe(0);

    // Bounded labels: no batch id, device id or command anywhere.
    for (const s of Object.values(after)) {
      for (const id of [ok, bad, ...devices.map((d) => d.id)]) expect(s.text).not.toContain(id);
      expect(s.text).not.toContain('disk full');
    }

    // The Temporal SDK's own worker metrics, from each process's runtime.
    expect(moved('workerSdk', 'temporal_workflow_completed', { task_queue: 'flotilla-workflows' })).toBeGreaterThanOrEqual(2 + 4);
    expect(moved('gatewaySdk', 'temporal_activity_execution_latency_count', { activity_type: 'deliverToAgent' })).toBe(4);
  }, 180_000);

  it('returns the short error from stderr in the device workflow result (no full output)', async () => {
    const batchId = await c.startBatch({ targets: { deviceIds: [devices[1]!.id] }, action: command('echo "disk full" >&2; echo second >&2; exit 3'), strategy: { mode: 'parallel', concurrency: 1 } });
    await c.waitForBatch(batchId);
    const outcome = (await temporal.workflow.getHandle(deviceWorkflowId(batchId, devices[1]!.id)).result()) as DeviceOutcome;
    expect(outcome).toEqual({ status: 'failed', exitCode: 3, error: 'disk full' });
  }, 60_000);
});
