// The batch through the whole path: API → Temporal workflows → gateway → the simulated fleet → PostgreSQL.
import type { BatchCreatedJson, BatchDetailJson } from '../src/api/schemas/batch';
import { BENCH_ACTION } from './floor';
import { startFleet } from './fleet-process';
import { percentile, waitUntil } from './measure';
import type { BenchTarget } from './target';

const POLL_MS = 200;

export interface FullPathResult {
  batchId: string;
  status: string;
  wallSeconds: number;
  p50Ms: number | null;
  p99Ms: number | null;
  notSucceeded: number;
}

export async function runFullPath(
  target: BenchTarget,
  opts: { devices: number; concurrency: number; tag: string; timeoutMs: number; log: (s: string) => void },
): Promise<FullPathResult> {
  opts.log(`registering ${opts.devices} devices (tag ${opts.tag})`);
  const registered = await target.register(opts.devices, opts.tag);
  opts.log('connecting the fleet');
  const fleet = await startFleet({ gatewayUrl: target.gatewayUrl, devices: registered }, opts.timeoutMs);
  try {
    await waitUntil('every device online', async () => (await target.countOnline(opts.tag)) >= opts.devices, opts.timeoutMs);
    opts.log(`all ${opts.devices} online; starting the batch`);
    const started = performance.now();
    const created = await target.api.post<BatchCreatedJson>('/v1/batches', {
      targets: { tags: [opts.tag] },
      action: BENCH_ACTION,
      strategy: { mode: 'parallel', concurrency: opts.concurrency },
      deliveryTimeoutSec: 60,
    });
    let detail: BatchDetailJson | undefined;
    await waitUntil(
      `batch ${created.batchId} to finish`,
      async () => {
        detail = await target.api.get<BatchDetailJson>(`/v1/batches/${created.batchId}`);
        return detail.batch.status !== 'running';
      },
      opts.timeoutMs,
      POLL_MS,
    );
    const clientSeconds = (performance.now() - started) / 1000;
    const batch = detail!.batch;
    const createdAt = new Date(batch.createdAt);
    // The batch row's own timestamps, when the API gives both; else what this client saw.
    const wallSeconds = batch.completedAt ? (new Date(batch.completedAt).getTime() - createdAt.getTime()) / 1000 : clientSeconds;
    const latencies = await target.latenciesMs(created.batchId, createdAt);
    opts.log(`batch ${batch.status} in ${wallSeconds.toFixed(2)} s (client saw ${clientSeconds.toFixed(2)} s)`);
    return {
      batchId: created.batchId,
      status: batch.status,
      wallSeconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      notSucceeded: created.targetCount - (batch.stats.succeeded ?? 0),
    };
  } finally {
    await fleet.stop();
  }
}
