// Agents failing mid-command. Killed: the device ends failed within the delivery window plus the
// heartbeat bound and the batch finishes. Partitioned (traffic silently dropped): the same, and the
// result it sends after the partition heals changes nothing. Connection cut, then back: its result is
// recorded. In every case the command ran once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HEARTBEAT_MISSES_ALLOWED } from '../../src/protocol/constants';
import { HEARTBEAT_MS, startCluster, type Cluster, type Device } from '../helpers/cluster';
import { expectFaultInvariants } from '../helpers/fault-invariants';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import type { RunningProcess } from '../helpers/processes';

let c: Cluster;
const proxies: TcpProxy[] = [];
const tag = `agentf-${randomUUID().slice(0, 6)}`;

/** The delivery window the batches here give a device that went away. */
const WINDOW_SEC = 4;
/** How long after the fault the device must have its final status: the window, the heartbeat bound, slack for a loaded machine. */
const FINAL_WITHIN_MS = WINDOW_SEC * 1000 + HEARTBEAT_MS * HEARTBEAT_MISSES_ALLOWED + 10_000;

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
}, 180_000);

afterAll(async () => {
  await c?.stop();
  await Promise.all(proxies.map((p) => p.close()));
});

async function fleet(name: string, viaProxy: boolean): Promise<{ healthy: Device; victim: Device; agent: RunningProcess; proxy?: TcpProxy }> {
  const healthy = await c.addDevice(`${tag}-${name}-ok`, [`${tag}-${name}`]);
  const victim = await c.addDevice(`${tag}-${name}-victim`, [`${tag}-${name}`]);
  await c.startAgent(healthy);
  if (!viaProxy) return { healthy, victim, agent: await c.startAgent(victim) };
  const proxy = await startTcpProxy(c.gateways.get('gw-a')!.url);
  proxies.push(proxy);
  return { healthy, victim, agent: await c.startAgent(victim, proxy.url), proxy };
}

async function startBoth(name: string, command: string): Promise<string> {
  const batchId = await c.startBatch({
    targets: { tags: [`${tag}-${name}`] },
    action: { type: 'command', command, shell: 'sh', timeoutSec: 30 },
    strategy: { concurrency: 2 },
    deliveryTimeoutSec: WINDOW_SEC,
  });
  await c.waitForStats(batchId, 'both commands to run', (s) => (s.running ?? 0) === 2);
  return batchId;
}

/** Waits for the batch and answers how long after `since` it finished. */
async function finishedAfter(batchId: string, since: number): Promise<{ status: string; ms: number }> {
  const view = await c.waitForBatch(batchId, 60_000);
  return { status: view.batch.status, ms: Date.now() - since };
}

/** The batch ends `partial` within the bound after the fault: the healthy device succeeded, the victim failed. */
async function expectVictimFailedInTime(what: string, batchId: string, since: number, healthy: Device, victim: Device): Promise<void> {
  const { status, ms } = await finishedAfter(batchId, since);
  console.log(`${what}: batch final ${ms} ms after the fault (bound ${FINAL_WITHIN_MS} ms)`);
  expect(ms).toBeLessThan(FINAL_WITHIN_MS);
  expect(status).toBe('partial');
  const execs = await expectFaultInvariants(c, batchId, [healthy, victim]);
  expect(execs.find((e) => e.deviceId === healthy.id)).toMatchObject({ status: 'succeeded', stdout: 'done\n' });
  expect(execs.find((e) => e.deviceId === victim.id)).toMatchObject({ status: 'failed' });
  expect(execs.find((e) => e.deviceId === victim.id)?.error).toMatch(/lost its connection/);
}

describe('agent faults mid-command', () => {
  it('an agent SIGKILLed mid-command: its device ends failed within the bound, the batch finishes', async () => {
    const { healthy, victim, agent } = await fleet('kill', false);
    const batchId = await startBoth('kill', 'sleep 3; echo done');
    await agent.stop('SIGKILL');
    await expectVictimFailedInTime('agent SIGKILL', batchId, Date.now(), healthy, victim);
  }, 90_000);

  it('an agent cut off silently mid-command: failed within the bound; its late result changes nothing', async () => {
    const { healthy, victim, agent, proxy } = await fleet('partition', true);
    const batchId = await startBoth('partition', 'sleep 3; echo done');
    proxy!.blackhole(true);
    await expectVictimFailedInTime('agent partitioned', batchId, Date.now(), healthy, victim);
    // The partition heals: the agent reconnects and re-sends its journaled result, which is acknowledged
    // but never overwrites the final status.
    proxy!.blackhole(false);
    const acked = (): boolean => c.agentJournal(victim).some((l) => l.includes('"t":"acked"'));
    await expect.poll(acked, { timeout: 40_000, interval: 250 }).toBe(true);
    expect(agent.lines.filter((l) => l.includes('"msg":"connected"')).length).toBeGreaterThanOrEqual(2);
    const execs = await expectFaultInvariants(c, batchId, [healthy, victim]);
    expect(execs.find((e) => e.deviceId === victim.id)).toMatchObject({ status: 'failed' });
    expect(execs.find((e) => e.deviceId === victim.id)?.error).toMatch(/lost its connection/);
  }, 90_000);

  it('an agent whose connection is cut mid-command reconnects and delivers its result', async () => {
    const { healthy, victim, agent, proxy } = await fleet('sever', true);
    const batchId = await startBoth('sever', 'sleep 3; echo done');
    proxy!.sever();
    const { status } = await finishedAfter(batchId, Date.now());
    expect(status).toBe('succeeded');
    const execs = await expectFaultInvariants(c, batchId, [healthy, victim]);
    expect(execs.every((e) => e.status === 'succeeded' && e.stdout === 'done\n')).toBe(true);
    expect(agent.lines.filter((l) => l.includes('"msg":"connected"')).length).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
