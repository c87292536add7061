// Rolling waves, approval, pause/resume and retry on real processes and real agents, driven through
// the API and the real `flotilla batches pause|resume|retry` CLI.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../cli/run-cli';
import { executionsOf, startCluster, type BatchView, type Cluster, type Device, type ExecutionView } from '../helpers/cluster';
import { waitFor } from '../helpers/ports';

let c: Cluster;
let devices: Device[];
const tag = `waves-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
  devices = [];
  for (let i = 0; i < 4; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  await Promise.all(devices.map((d) => c.startAgent(d)));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

const command = (cmd: string) => ({ type: 'command', command: cmd, shell: 'sh', timeoutSec: 30 });
const cli = (...args: string[]) => runCli(['batches', ...args], { FLOTILLA_API_URL: c.apiUrl, FLOTILLA_TOKEN: c.adminToken });
const detail = async (id: string): Promise<BatchView & { batch: { healthChecks: string[]; retries: string[] } }> =>
  (await c.http<BatchView & { batch: { healthChecks: string[]; retries: string[] } }>('GET', `/v1/batches/${id}`)).body;
const ms = (t: string | null): number => Date.parse(t as string);
/** Executions in target order, split into waves of `size`. */
const wavesOf = (execs: ExecutionView[], order: string[], size: number): ExecutionView[][] =>
  order.reduce<ExecutionView[][]>((out, id, i) => {
    (out[Math.floor(i / size)] ??= []).push(execs.find((e) => e.deviceId === id) as ExecutionView);
    return out;
  }, []);

describe('waves on real agents', () => {
  it('no wave starts before the previous one ended plus pauseBetweenWavesSec; each wave is health-checked', async () => {
    const order = devices.map((d) => d.id);
    const batchId = await c.startBatch({
      targets: { deviceIds: order },
      action: command('sleep 0.5'),
      strategy: { mode: 'waves', waveSize: 2, pauseBetweenWavesSec: 1, healthCheck: command('test -d /') },
    });
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('succeeded');
    const [first, second] = wavesOf(await executionsOf(c, batchId), order, 2);
    const firstEnd = Math.max(...first!.map((e) => ms(e.completedAt)));
    expect(Math.min(...second!.map((e) => ms(e.startedAt))) - firstEnd).toBeGreaterThanOrEqual(1000);
    const checks = (await detail(batchId)).batch.healthChecks;
    expect(checks).toHaveLength(2);
    for (const [i, check] of checks.entries()) {
      expect((await executionsOf(c, check)).map((e) => e.deviceId)).toEqual(order.slice(i * 2, i * 2 + 2));
    }
  });

  it('a failing health check stops the batch after its wave; the rest are skipped', async () => {
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: command('true'),
      strategy: { mode: 'waves', waveSize: 2, maxFailuresPerWave: 0, healthCheck: command('exit 1') },
    });
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('stopped');
    expect(view.batch.stats).toMatchObject({ succeeded: 2, skipped: 2 });
  });

  it('waits in paused after the first wave until `flotilla batches resume`', async () => {
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: command('true'),
      strategy: { mode: 'waves', waveSize: 2, approveAfterFirstWave: true },
    });
    await waitFor('the batch to wait for approval', async () => (await detail(batchId)).batch.status === 'paused', 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await detail(batchId)).batch.stats).toMatchObject({ succeeded: 2, queued: 2 });
    const r = await cli('resume', batchId);
    expect(r.code, r.stderr).toBe(0);
    expect((await c.waitForBatch(batchId, 60_000)).batch.status).toBe('succeeded');
  });
});

describe('pause, resume and retry on real agents', () => {
  it('`flotilla batches pause` lets the running command finish and dispatches nothing until resume', async () => {
    const batchId = await c.startBatch({ targets: { tags: [tag] }, action: command('sleep 1'), strategy: { mode: 'sequential' } });
    await c.waitForStats(batchId, 'the first device running', (s) => (s.running ?? 0) === 1);
    const paused = await cli('pause', batchId);
    expect(paused.code, paused.stderr).toBe(0);
    await waitFor('the batch to show paused', async () => (await detail(batchId)).batch.status === 'paused', 30_000);
    await c.waitForStats(batchId, 'the running device to finish', (s) => (s.running ?? 0) + (s.dispatched ?? 0) === 0);
    const whilePaused = (await detail(batchId)).batch.stats;
    await new Promise((r) => setTimeout(r, 2000));
    expect((await detail(batchId)).batch.stats).toEqual(whilePaused);
    expect(whilePaused.queued).toBeGreaterThan(0);
    expect((await cli('resume', batchId)).code).toBe(0);
    expect((await c.waitForBatch(batchId, 60_000)).batch.status).toBe('succeeded');
    expect((await cli('pause', batchId)).code).not.toBe(0);
  });

  it('`flotilla batches retry` starts a batch on exactly the devices that failed', async () => {
    const dir = path.join(c.tmp, `retry-${randomUUID().slice(0, 6)}`);
    mkdirSync(dir);
    // Sequential: the 1st and 3rd device to run succeed, the 2nd and 4th fail.
    const alternate = `n=$(ls ${dir} | wc -l); touch ${dir}/$n; [ $((n % 2)) -eq 0 ]`;
    const original = await c.startBatch({ targets: { tags: [tag] }, action: command(alternate), strategy: { mode: 'sequential' } });
    expect((await c.waitForBatch(original, 60_000)).batch.status).toBe('partial');
    const failed = (await executionsOf(c, original)).filter((e) => e.status === 'failed').map((e) => e.deviceId);
    expect(failed).toHaveLength(2);
    const r = await cli('retry', original, '--json');
    expect(r.code, r.stderr).toBe(0);
    const retry = JSON.parse(r.stdout) as { batchId: string; deviceIds: string[]; retryOf: string };
    expect(retry.retryOf).toBe(original);
    expect(retry.deviceIds).toEqual(failed);
    await c.waitForBatch(retry.batchId, 60_000);
    expect((await executionsOf(c, retry.batchId)).map((e) => e.deviceId)).toEqual(failed);
    expect((await detail(original)).batch.retries).toEqual([retry.batchId]);
  });
});
