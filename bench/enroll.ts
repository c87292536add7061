// --enroll: the simulated fleet registers through the real enrollment path, as agents do: one
// enrollment key (POST /v1/enrollment-keys, admin token), then one POST /v1/enroll per device with the
// key as its only credential, a machine id of its own, a name, tags and facts.
import { randomUUID } from 'node:crypto';
import { createApiClient } from '../src/cli/http';
import { PROTOCOL_VERSION } from '../src/protocol/constants';
import type { DeviceFacts } from '../src/protocol/v1/messages';
import { slidingWindow } from './floor';
import type { BenchTarget, Registered } from './target';

/** Enrollment requests in flight at once. */
export const ENROLL_WINDOW = 20;

const FACTS: DeviceFacts = { hostname: 'bench', os: 'linux', arch: 'x64', agentVersion: 'bench', protocolVersion: PROTOCOL_VERSION };

export interface EnrollTiming {
  seconds: number;
  devices: number;
}

/**
 * Replaces target.register with enrollment; each registration's duration is pushed to `timings`.
 * removeAtStop: delete the enrolled devices when the target stops (a running Flotilla keeps them otherwise).
 */
export function enrollInstead(target: BenchTarget, opts: { removeAtStop: boolean; timings: EnrollTiming[]; log: (s: string) => void }): void {
  const stopTarget = target.stop.bind(target);
  const enrolled: string[] = [];
  target.register = async (n, tag) => {
    const { key } = await target.api.post<{ key: string }>('/v1/enrollment-keys', { name: `bench ${tag}`, tags: [tag], maxUses: n });
    const anonymous = createApiClient({ apiUrl: target.api.baseUrl, token: undefined });
    const out = new Array<Registered>(n);
    const started = performance.now();
    await slidingWindow(n, ENROLL_WINDOW, async (i) => {
      const name = `${tag}-${String(i).padStart(6, '0')}`;
      const r = await anonymous.post<{ deviceId: string; token: string }>('/v1/enroll', {
        key,
        machineId: randomUUID(),
        name,
        tags: [tag],
        facts: { ...FACTS, hostname: name },
      });
      enrolled.push(r.deviceId);
      out[i] = { id: r.deviceId, token: r.token };
    });
    const seconds = (performance.now() - started) / 1000;
    opts.timings.push({ seconds, devices: n });
    opts.log(`enrolled ${n} devices in ${seconds.toFixed(3)} s (${ENROLL_WINDOW} in flight)`);
    return out;
  };
  target.stop = async () => {
    if (opts.removeAtStop) {
      await slidingWindow(enrolled.length, ENROLL_WINDOW, (i) => target.api.del(`/v1/devices/${enrolled[i]}`).catch(() => undefined));
    }
    await stopTarget();
  };
}
