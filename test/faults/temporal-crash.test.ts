// The Temporal dev server killed with SIGKILL mid-batch (no shutdown: in-flight tasks and unflushed work are
// lost) and started again on the same SQLite file: the worker, the gateway's activity worker and the API
// reconnect on their own; the batch finishes with every device once, and the API starts a new batch afterwards.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/temporal/dev-server';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { expectFaultInvariants, expectFleetServes } from '../helpers/fault-invariants';
import { freePort } from '../helpers/ports';

let server: DevServer;
let serverOpts: DevServerOptions;
let c: Cluster;
const devices: Device[] = [];
const tag = `tcrash-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-temporal-'));
  serverOpts = { port: await freePort(), uiPort: await freePort(), headless: true, dbFile: path.join(dir, 'temporal.db') };
  server = await startDevServer(serverOpts);
  c = await startCluster(server.address);
  for (let i = 0; i < 4; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  await Promise.all(devices.map((d) => c.startAgent(d)));
}, 180_000);

afterAll(async () => {
  await c?.stop();
  await server?.stop();
});

/** SIGKILL, and wait until the process is gone (its port and SQLite file are free again). */
async function crash(s: DevServer): Promise<void> {
  const gone = new Promise<void>((resolve) => s.process.once('exit', () => resolve()));
  expect(s.process.kill('SIGKILL')).toBe(true);
  await gone;
}

describe('Temporal server killed (SIGKILL) mid-batch', () => {
  it('every process rides it out and the batch finishes', async () => {
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: { type: 'command', command: 'sleep 2; echo done', shell: 'sh', timeoutSec: 60 },
      strategy: { concurrency: 2 },
    });
    await c.waitForStats(batchId, 'the first commands to run', (s) => (s.running ?? 0) > 0);
    await crash(server);
    // Down long enough for the running commands to finish and for every process to notice.
    await new Promise((r) => setTimeout(r, 4000));
    server = await startDevServer(serverOpts);
    const view = await c.waitForBatch(batchId, 90_000);
    expect(view.batch.status).toBe('succeeded');
    const execs = await expectFaultInvariants(c, batchId, devices);
    expect(execs.every((e) => e.status === 'succeeded' && e.stdout.trim() === 'done')).toBe(true);
    // No process died on the way, and the API still starts batches through its old connection.
    for (const p of [c.api, c.worker, c.gateways.get('gw-a')!.proc]) expect(p.child.exitCode, `${p.name} exited`).toBeNull();
    await expectFleetServes(c, tag, devices);
  }, 150_000);
});
