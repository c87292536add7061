// Commands that each write 100 MiB: stored cut to the cap with the truncated flag, while the peak
// memory (VmHWM) of the gateway and the worker grows by far less than the flood.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OUTPUT_CAP_BYTES } from '../../src/protocol/constants';
import { startCluster, type Cluster, type Device, type ExecutionView } from '../helpers/cluster';
import { expectFaultInvariants } from '../helpers/fault-invariants';
import type { RunningProcess } from '../helpers/processes';

let c: Cluster;
const devices: Device[] = [];
const agents: RunningProcess[] = [];
const tag = `flood-${randomUUID().slice(0, 6)}`;

const FLOOD_BYTES = 100 * 1024 * 1024;
/** Allowed growth of a process's peak RSS while the fleet floods: a fraction of one device's output. */
const PEAK_GROWTH_BOUND_MB = 64;

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
  for (let i = 0; i < 3; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  for (const d of devices) agents.push(await c.startAgent(d));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

/** Peak resident set size of a process so far, in MiB. */
function peakRssMb(p: RunningProcess): number {
  const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]) / 1024;
}

describe('output flood', () => {
  it('stores 1 MiB of 100 MiB per device, flagged truncated, with bounded memory', async () => {
    const watched = { gateway: c.gateways.get('gw-a')!.proc, worker: c.worker };
    const before = Object.fromEntries(Object.entries(watched).map(([k, p]) => [k, peakRssMb(p)]));
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' x; echo tail >&2`, shell: 'sh', timeoutSec: 60 },
      strategy: { concurrency: 3 },
    });
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('succeeded');
    const execs = await expectFaultInvariants(c, batchId, devices);
    for (const listed of execs) {
      const { body: e } = await c.http<ExecutionView>('GET', `/v1/batches/${batchId}/executions/${listed.deviceId}`);
      expect(e.truncated).toBe(true);
      expect(e.stdout.length).toBe(OUTPUT_CAP_BYTES);
      expect(e.stdout).toMatch(/^x+$/);
      expect(e.stderr).toBe('tail\n');
    }
    const figures: Record<string, string> = {};
    for (const [name, p] of Object.entries(watched)) {
      const after = peakRssMb(p);
      figures[name] = `${before[name]!.toFixed(0)} -> ${after.toFixed(0)} MiB`;
      expect(after - before[name]!, `${name} peak RSS grew`).toBeLessThan(PEAK_GROWTH_BOUND_MB);
    }
    agents.forEach((a, i) => (figures[`agent ${i}`] = `${peakRssMb(a).toFixed(0)} MiB`));
    console.log(`output flood, 3 x 100 MiB: peak RSS ${JSON.stringify(figures)}`);
  }, 120_000);
});
