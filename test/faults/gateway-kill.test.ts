// A gateway SIGKILLed while every agent runs a command on it: agents that know another gateway fail over
// to it, agents that know only the dead one reconnect when it is restarted on its address; every
// result is recorded once and no command runs twice.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { expectFaultInvariants } from '../helpers/fault-invariants';
import type { RunningProcess } from '../helpers/processes';

let c: Cluster;
const devices: Device[] = [];
const agents: RunningProcess[] = [];
const tag = `gkill-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'), { gateways: ['gw-1', 'gw-2'] });
  for (let i = 0; i < 4; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  // All start on gw-1; the even ones may fail over to gw-2, the odd ones know only gw-1.
  for (const [i, d] of devices.entries()) agents.push(await c.startAgent(d, i % 2 === 0 ? ['gw-1', 'gw-2'] : ['gw-1']));
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
      strategy: { concurrency: 4 },
      deliveryTimeoutSec: 60,
    });
    await c.waitForStats(batchId, 'all four commands to run', (s) => (s.running ?? 0) === 4);
    await c.gateways.get('gw-1')!.proc.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    await c.restartGateway('gw-1');
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('succeeded');
    const execs = await expectFaultInvariants(c, batchId, devices);
    expect(execs.every((e) => e.status === 'succeeded' && e.stdout.trim() === 'survived')).toBe(true);
    for (const [i, agent] of agents.entries()) {
      if (i % 2 === 0) expect(connectedTo(agent, gw2), `${agent.name} failed over`).toBeGreaterThanOrEqual(1);
      else expect(connectedTo(agent, gw1), `${agent.name} came back to the restarted gateway`).toBeGreaterThanOrEqual(2);
    }
    // The restarted gateway serves a new batch.
    const again = await c.startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: 'echo again', shell: 'sh', timeoutSec: 30 },
      strategy: { concurrency: 4 },
    });
    expect((await c.waitForBatch(again, 60_000)).batch.status).toBe('succeeded');
    await expectFaultInvariants(c, again, devices);
  }, 120_000);
});
