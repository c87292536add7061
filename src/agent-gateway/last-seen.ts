// Liveness is recorded in bulk: frames mark a device as heard from, and one UPDATE per tick writes
// last_seen_at for all of them, so 10,000 heartbeating agents cost one statement, not 10,000.
import type { Database } from '../db/client';
import { touchDevices } from '../db/queries/presence';
import type { Logger } from '../logger';

export interface LastSeenFlusher {
  touch(deviceId: string): void;
  flush(): Promise<void>;
  stop(): void;
}

export function startLastSeenFlusher(db: Database, gatewayId: string, intervalMs: number, logger: Logger): LastSeenFlusher {
  let heard = new Set<string>();
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (heard.size === 0) return flushing;
    const ids = [...heard];
    heard = new Set();
    flushing = flushing
      .then(() => touchDevices(db, gatewayId, ids))
      .catch((err: unknown) => logger.warn({ err, devices: ids.length }, 'could not record last seen'));
    return flushing;
  };
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();
  return {
    touch: (deviceId) => void heard.add(deviceId),
    flush,
    stop: () => clearInterval(timer),
  };
}
