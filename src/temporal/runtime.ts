// The Temporal Core runtime for this process (one per process, installed once): SDK logs go through at
// the given level, and the SDK's own worker metrics are served for Prometheus when a bind address is given.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

export interface RuntimeOptions {
  level?: LogLevel;
  /** host:port of the SDK's Prometheus endpoint (GET /metrics); unset: no SDK metrics. */
  metricsBindAddress?: string;
}

let installed = false;

export function installTemporalRuntime(opts: RuntimeOptions = {}): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(opts.level ?? 'WARN'),
    ...(opts.metricsBindAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: opts.metricsBindAddress } } } } : {}),
  });
}

/** The SDK metrics bind address a process's configuration asks for (port 0: none). */
export function sdkMetricsAddress(config: { bindHost: string; sdkMetricsPort: number }): string | undefined {
  return config.sdkMetricsPort === 0 ? undefined : `${config.bindHost}:${config.sdkMetricsPort}`;
}
