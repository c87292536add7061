// The whole path on real processes: API -> Temporal -> worker -> gateway -> agents running real shell
// commands -> PostgreSQL -> API.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batchWorkflowId } from '../../src/workflows/definitions';
import { executionsOf, peakRunning, pidAlive, startCluster, type Cluster, type Device } from '../helpers/cluster';
import { waitFor } from '../helpers/ports';

let c: Cluster;
let devices: Device[];
let temporal: Client;
const tag = `e2e-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
  temporal = new Client({ connection: await Connection.connect({ address: c.temporalAddress }), namespace: c.namespace });
  devices = [];
  for (let i = 0; i < 5; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  await Promise.all(devices.map((d) => c.startAgent(d)));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

const command = (cmd: string, extra: Record<string, unknown> = {}) => ({ type: 'command', command: cmd, shell: 'sh', timeoutSec: 30, ...extra });
/** Pids that commands wrote into files named <prefix>-*.pid under dir. */
const pidsIn = (dir: string, prefix: string): number[] =>
  readdirSync(dir)
    .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.pid'))
    .map((f) => Number(readFileSync(path.join(dir, f), 'utf8').trim()));

describe('batches end to end', () => {
  it('runs a command on every device, never more than `concurrency` at once (agent timestamps)', async () => {
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: command('sleep 0.6; echo "hello from $(hostname)"'),
      strategy: { mode: 'parallel', concurrency: 2 },
    });
    const view = await c.waitForBatch(batchId);
    expect(view.batch.status).toBe('succeeded');
    expect(view.progress).toBe(100);
    const execs = await executionsOf(c, batchId);
    expect(execs).toHaveLength(5);
    for (const e of execs) {
      expect(e.status).toBe('succeeded');
      expect(e.exitCode).toBe(0);
      expect(e.stdout).toContain('hello from');
    }
    expect(peakRunning(execs)).toBe(2);
  });

  it('runs sequential batches one device after another in target order', async () => {
    const order = [devices[3], devices[1], devices[4], devices[0]].map((d) => d!.id);
    const batchId = await c.startBatch({
      targets: { deviceIds: order },
      action: command('sleep 0.2'),
      strategy: { mode: 'sequential' },
    });
    await c.waitForBatch(batchId);
    const execs = await executionsOf(c, batchId);
    const byStart = [...execs].sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!)).map((e) => e.deviceId);
    expect(byStart).toEqual(order);
    expect(peakRunning(execs)).toBe(1);
  });

  it('stops after maxFailures and skips the devices never dispatched', async () => {
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: command('echo failing >&2; exit 3'),
      strategy: { mode: 'sequential', maxFailures: 1 },
    });
    const view = await c.waitForBatch(batchId);
    expect(view.batch.status).toBe('stopped');
    expect(view.batch.stats).toMatchObject({ failed: 2, skipped: 3 });
    const failed = (await executionsOf(c, batchId)).filter((e) => e.status === 'failed');
    expect(failed.every((e) => e.exitCode === 3 && e.stderr.includes('failing'))).toBe(true);
  });

  it('kills a command at its timeout, process group included', async () => {
    const dir = c.tmp;
    const batchId = await c.startBatch({
      targets: { deviceIds: [devices[0]!.id] },
      action: command(`sleep 60 & echo $! > ${dir}/timeout-child-${devices[0]!.id}.pid; wait`, { timeoutSec: 1 }),
    });
    const view = await c.waitForBatch(batchId);
    expect(view.batch.status).toBe('failed');
    const [e] = await executionsOf(c, batchId);
    expect(e?.status).toBe('timed_out');
    const pids = pidsIn(dir, 'timeout-child');
    expect(pids).toHaveLength(1);
    await waitFor('the timed-out grandchild to die', () => !pidAlive(pids[0]!), 10_000);
  });

  it.each(['api', 'temporal'] as const)('cancel through the %s stops dispatch and kills running commands', async (how) => {
    const prefix = `cancel-${how}`;
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: command(`echo $$ > ${c.tmp}/${prefix}-$$.pid; exec sleep 60`, {
        timeoutSec: 120,
      }),
      strategy: { concurrency: 2 },
    });
    // Both running commands have written their pid: they are running on the devices.
    await c.waitForStats(batchId, 'two running commands', (s) => (s.running ?? 0) === 2);
    if (how === 'api') {
      const r = await c.http('POST', `/v1/batches/${batchId}/cancel`);
      expect(r.status).toBe(202);
    } else {
      await temporal.workflow.getHandle(batchWorkflowId(batchId)).cancel();
    }
    const view = await c.waitForBatch(batchId, 30_000);
    expect(view.batch.status).toBe('cancelled');
    expect(view.batch.stats).toMatchObject({ cancelled: 5 });
    const execs = await executionsOf(c, batchId);
    expect(execs.filter((e) => e.startedAt !== null)).toHaveLength(2);
    const pids = pidsIn(c.tmp, prefix);
    expect(pids).toHaveLength(2);
    await waitFor('the cancelled commands to be killed', () => pids.every((p) => !pidAlive(p)), 10_000);
  });

  it('cancels what is left when the batch deadline passes, killing running commands', async () => {
    const prefix = 'deadline';
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: command(`echo $$ > ${c.tmp}/${prefix}-$$.pid; exec sleep 60`, { timeoutSec: 120 }),
      strategy: { concurrency: 2 },
      deadlineSec: 3,
    });
    const view = await c.waitForBatch(batchId, 30_000);
    expect(view.batch.status).toBe('cancelled');
    expect(view.batch.stats).toMatchObject({ cancelled: 5 });
    const detail = await c.http<{ batch: { error: string | null } }>('GET', `/v1/batches/${batchId}`);
    expect(detail.body.batch.error).toMatch(/deadline/);
    const pids = pidsIn(c.tmp, prefix);
    expect(pids).toHaveLength(2);
    await waitFor('the commands cut by the deadline to be killed', () => pids.every((p) => !pidAlive(p)), 10_000);
  });

  it('marks a device that never connects undeliverable after its delivery window', async () => {
    const offline = await c.addDevice(`${tag}-offline`);
    const batchId = await c.startBatch({ targets: { deviceIds: [offline.id] }, action: command('true'), deliveryTimeoutSec: 2 });
    const view = await c.waitForBatch(batchId, 30_000);
    expect(view.batch.stats).toMatchObject({ undeliverable: 1 });
    const [e] = await executionsOf(c, batchId);
    expect(e?.error).toMatch(/offline/);
  });

  it('delivers to a device that connects late, inside its window', async () => {
    const late = await c.addDevice(`${tag}-late`);
    const batchId = await c.startBatch({ targets: { deviceIds: [late.id] }, action: command('echo late'), deliveryTimeoutSec: 60 });
    await c.waitForStats(batchId, 'the execution to be delayed', (s) => (s.delayed ?? 0) === 1);
    await c.startAgent(late);
    const view = await c.waitForBatch(batchId, 30_000);
    expect(view.batch.status).toBe('succeeded');
    const [e] = await executionsOf(c, batchId);
    expect(e?.stdout.trim()).toBe('late');
  });

  it('answers bad input with a 4xx error and starts nothing', async () => {
    const before = await c.http<{ items: unknown[] }>('GET', '/v1/batches?limit=200');
    const bad = [
      { targets: {}, action: command('true') },
      { targets: { deviceIds: [randomUUID()] }, action: command('true') },
      { targets: { tags: [tag] }, action: { type: 'command', command: '' } },
      { targets: { tags: [tag] }, action: command('true'), strategy: { concurrency: -1 } },
      { targets: { tags: [tag] }, action: command('true'), surprise: true },
    ];
    for (const body of bad) {
      const r = await c.http<{ error: { code: string; message: string } }>('POST', '/v1/batches', body);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error.code).toBeTruthy();
      expect(r.body.error.message).toBeTruthy();
    }
    const after = await c.http<{ items: unknown[] }>('GET', '/v1/batches?limit=200');
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('returns the same batch for a retried request with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const body = { targets: { deviceIds: [devices[0]!.id] }, action: command('echo once') };
    const a = await c.http<{ batchId: string }>('POST', '/v1/batches', body, { 'idempotency-key': key });
    const b = await c.http<{ batchId: string }>('POST', '/v1/batches', body, { 'idempotency-key': key });
    expect(a.status).toBe(201);
    expect(b.body.batchId).toBe(a.body.batchId);
    const view = await c.waitForBatch(a.body.batchId);
    expect(view.batch.targetCount).toBe(1);
    const all = await c.http<{ items: Array<{ id: string }> }>('GET', '/v1/batches?limit=200');
    expect(all.body.items.filter((x) => x.id === a.body.batchId)).toHaveLength(1);
  });
});
