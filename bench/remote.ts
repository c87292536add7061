// A running Flotilla (--api URL --token T --gateway WS): devices are registered through the API and
// deleted at the end; latencies come from the executions the API serves.
import type { ExecutionJson } from '../src/api/schemas/batch';
import type { DeviceJson } from '../src/api/schemas/device';
import { createApiClient } from '../src/cli/http';
import { slidingWindow } from './floor';
import type { BenchTarget, Registered } from './target';

/** Parallel requests while registering and removing devices. */
const REQUEST_WINDOW = 16;

export function remoteTarget(opts: { apiUrl: string; token: string | undefined; gatewayUrl: string; temporal?: BenchTarget['temporal'] }): BenchTarget {
  const api = createApiClient({ apiUrl: opts.apiUrl.replace(/\/$/, ''), token: opts.token });
  const created: string[] = [];
  return {
    api,
    gatewayUrl: opts.gatewayUrl,
    ...(opts.temporal ? { temporal: opts.temporal } : {}),
    latencyBasis: 'batch-created-to-completed',
    async register(n, tag) {
      const out: Registered[] = new Array<Registered>(n);
      await slidingWindow(n, REQUEST_WINDOW, async (i) => {
        const r = await api.post<{ device: DeviceJson; agentToken: string }>('/v1/devices', {
          name: `${tag}-${String(i).padStart(6, '0')}`,
          tags: [tag],
        });
        created.push(r.device.id);
        out[i] = { id: r.device.id, token: r.agentToken };
      });
      return out;
    },
    async countOnline(tag) {
      return (await api.all<DeviceJson>('/v1/devices', { tag, status: 'online' })).length;
    },
    async latenciesMs(batchId, batchCreatedAt) {
      const items = await api.all<ExecutionJson>(`/v1/batches/${batchId}/executions`);
      return items.flatMap((e) => (e.completedAt ? [new Date(e.completedAt).getTime() - batchCreatedAt.getTime()] : []));
    },
    async stop() {
      await slidingWindow(created.length, REQUEST_WINDOW, (i) => api.del(`/v1/devices/${created[i]}`).catch(() => undefined));
    },
  };
}
