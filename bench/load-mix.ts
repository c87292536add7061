// The sustained mix of the load benchmark: small batches and large ones at steady rates, API reads at a
// steady rate, every call timed. Runs until the deadline; answers what it started and what it saw.
import type { BatchCreatedJson } from '../src/api/schemas/batch';
import { ApiRequestError } from '../src/domain/api-request-error';
import type { ApiClient } from '../src/cli/http';
import { BENCH_ACTION } from './floor';

export interface MixPlan {
  seconds: number;
  deviceIds: string[];
  smallSize: number;
  smallPerSec: number;
  largeSize: number;
  largeEverySec: number;
  readsPerSec: number;
  log: (s: string) => void;
}

export interface MixOutcome {
  batchIds: string[];
  smallBatches: number;
  largeBatches: number;
  apiLatenciesMs: number[];
  errors: number;
  /** Batches refused with 429 (FLOTILLA_MAX_RUNNING_BATCHES reached): back-pressure, not a failure. */
  throttled: number;
}

const pick = (ids: string[], n: number): string[] => {
  const copy = [...ids];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
};

export async function runMix(api: ApiClient, plan: MixPlan): Promise<MixOutcome> {
  const out: MixOutcome = { batchIds: [], smallBatches: 0, largeBatches: 0, apiLatenciesMs: [], errors: 0, throttled: 0 };
  const inFlight = new Set<Promise<void>>();
  const timed = (what: string, call: () => Promise<unknown>): void => {
    const started = performance.now();
    const p = call()
      .then(() => void out.apiLatenciesMs.push(performance.now() - started))
      .catch((err: unknown) => {
        if (err instanceof ApiRequestError && err.status === 429) {
          out.throttled += 1;
          return;
        }
        out.errors += 1;
        if (out.errors <= 5) plan.log(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const startBatch = (size: number, concurrency: number, kind: 'smallBatches' | 'largeBatches'): void =>
    timed(`batch of ${size}`, async () => {
      const created = await api.post<BatchCreatedJson>('/v1/batches', {
        targets: { deviceIds: pick(plan.deviceIds, size) },
        action: BENCH_ACTION,
        strategy: { mode: 'parallel', concurrency },
        deliveryTimeoutSec: 120,
      });
      out.batchIds.push(created.batchId);
      out[kind] += 1;
    });
  let reads = 0;
  const read = (): void => {
    const known = out.batchIds[Math.floor(Math.random() * out.batchIds.length)];
    const paths = ['/v1/batches', '/v1/devices', known ? `/v1/batches/${known}` : '/v1/groups', known ? `/v1/batches/${known}/executions` : '/v1/batches'];
    const path = paths[reads++ % paths.length]!;
    timed(`GET ${path}`, () => api.get(path, { limit: 50 }));
  };
  const timers = [
    setInterval(() => startBatch(plan.smallSize, plan.smallSize, 'smallBatches'), 1000 / plan.smallPerSec),
    setInterval(() => startBatch(plan.largeSize, Math.max(1, Math.floor(plan.largeSize / 4)), 'largeBatches'), plan.largeEverySec * 1000),
    setInterval(read, 1000 / plan.readsPerSec),
  ];
  startBatch(plan.largeSize, Math.max(1, Math.floor(plan.largeSize / 4)), 'largeBatches');
  await new Promise((r) => setTimeout(r, plan.seconds * 1000));
  for (const t of timers) clearInterval(t);
  await Promise.all([...inFlight]);
  return out;
}
