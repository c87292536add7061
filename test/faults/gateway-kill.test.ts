// A gateway SIGKILLed while agents run commands on it: agents that know another gateway fail over to it,
// agents that know only the dead one reconnect when it is restarted on its address, agents on the other
// gateway are untouched; every result is recorded once and no command runs twice.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { expectFaultInvariants, expectFleetServes } from '../helpers/fault-invariants';
import type { RunningProcess } from '../helpers/processes';

let c: Cluster;
const devices: Device[] = [];
const agents: RunningProcess[] = [];
const tag = `gkill-${randomUUID().slice(0, 6)}`;

/** Failover lists by device index modulo 3: gw-1 then gw-2; gw-1 only; gw-2 only (never on the killed gateway). */
const GATEWAYS_OF = [['gw-1', 'gw-2'], ['gw-1'], ['gw-2']];

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'), { gateways: ['gw-1', 'gw-2'] });
  for (let i = 0; i < 6; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  for (const [i, d] of devices.entries()) agents.push(await c.startAgent(d, GATEWAYS_OF[i % 3]!));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

const connectedTo = (agent: RunningProcess, url: string): number =>
  agent.lines.filter((l) => l.includes('"msg":"connected"') && l.includes(`"gateway":"${url}"`)).length;

describe('gateway SIGKILLed mid-command, then restarted', () => {
  it('records every result through the other gateway and the restarted one', async () => {
    const gw1 = c.gateways.get('gw-1')!.url;
    const gw2 = c.gateways.get('gw-2')!.url;
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: 'sleep 3; echo survived', shell: 'sh', timeoutSec: 30 },
      strategy: { concurrency: 6 },
      deliveryTimeoutSec: 60,
    });
    await c.waitForStats(batchId, 'all six commands to run', (s) => (s.running ?? 0) === 6);
    await c.gateways.get('gw-1')!.proc.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    await c.restartGateway('gw-1');
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('succeeded');
    const execs = await expectFaultInvariants(c, batchId, devices);
    expect(execs.every((e) => e.status === 'succeeded' && e.stdout.trim() === 'survived')).toBe(true);
    for (const [i, agent] of agents.entries()) {
      if (i % 3 === 0) expect(connectedTo(agent, gw2), `${agent.name} failed over`).toBeGreaterThanOrEqual(1);
      if (i % 3 === 1) expect(connectedTo(agent, gw1), `${agent.name} came back to the restarted gateway`).toBeGreaterThanOrEqual(2);
      if (i % 3 === 2) expect(connectedTo(agent, gw2), `${agent.name} stayed on gw-2`).toBe(1);
    }
    // The restarted gateway serves a new batch, with devices on both gateways.
    await expectFleetServes(c, tag, devices);
  }, 120_000);
});
