// The gateway's counters (counters.ts) and rejections (rejections.ts) as Prometheus metrics, read at
// every scrape; labelled with the gateway id (one per gateway process, a bounded set).
import type { Metrics } from '../metrics';
import { COUNTER_NAMES, type GatewayCounters } from './counters';
import { REJECTIONS } from './rejections';

export function watchGateway(metrics: Metrics, gateway: { gatewayId: string; counters: GatewayCounters; sessionCount(): number }): () => void {
  const { gatewayId, counters } = gateway;
  return metrics.onScrape(() => {
    metrics.agentsConnected.set({ gateway: gatewayId }, gateway.sessionCount());
    // Counters kept by the gateway itself: set to their current totals (they only grow).
    metrics.gatewayFrames.remove({ gateway: gatewayId, direction: 'in' });
    metrics.gatewayFrames.inc({ gateway: gatewayId, direction: 'in' }, counters.framesIn);
    metrics.gatewayFrames.remove({ gateway: gatewayId, direction: 'out' });
    metrics.gatewayFrames.inc({ gateway: gatewayId, direction: 'out' }, counters.framesOut);
    for (const event of COUNTER_NAMES) {
      metrics.gatewayEvents.remove({ gateway: gatewayId, event });
      metrics.gatewayEvents.inc({ gateway: gatewayId, event }, counters[event]);
    }
    for (const [reason, r] of Object.entries(REJECTIONS)) {
      if (r.counter === null) continue;
      const labels = { gateway: gatewayId, reason, close_code: String(r.closeCode) };
      metrics.gatewayRejections.remove(labels);
      metrics.gatewayRejections.inc(labels, counters[r.counter]);
    }
  });
}
