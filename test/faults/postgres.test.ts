// PostgreSQL faults mid-batch, on a server of the test's own: every connection of the database dropped
// (pg_terminate_backend), then the server restarted. Pools reconnect, activities retry, agents re-send
// unacknowledged results, and both gateways' NOTIFY listeners listen again.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collectFacts } from '../../src/agent/facts';
import { CLOSE_CODES } from '../../src/protocol/constants';
import { encodeAgentMessage } from '../../src/protocol/v1/codec';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { expectFaultInvariants } from '../helpers/fault-invariants';
import { waitFor } from '../helpers/ports';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import type { RunningProcess } from '../helpers/processes';

let pg: PrivatePostgres;
let c: Cluster;
const devices: Device[] = [];
const agents: RunningProcess[] = [];
const tag = `pgfault-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  pg = await startPrivatePostgres();
  c = await startCluster(inject('temporalAddress'), { gateways: ['gw-1', 'gw-2'], databaseAdminUrl: pg.adminUrl });
  for (let i = 0; i < 4; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  for (const d of devices) agents.push(await c.startAgent(d, 'gw-1'));
}, 180_000);

afterAll(async () => {
  await c?.stop();
  await pg?.destroy();
});

async function runThrough(fault: () => Promise<void>): Promise<void> {
  const batchId = await c.startBatch({
    targets: { tags: [tag] },
    action: { type: 'command', command: 'sleep 2; echo done', shell: 'sh', timeoutSec: 60 },
    strategy: { concurrency: 2 },
    deliveryTimeoutSec: 120,
  });
  await c.waitForStats(batchId, 'the first commands to run', (s) => (s.running ?? 0) > 0);
  await fault();
  const view = await c.waitForBatch(batchId, 90_000);
  expect(view.batch.status).toBe('succeeded');
  const execs = await expectFaultInvariants(c, batchId, devices);
  expect(execs.every((e) => e.status === 'succeeded' && e.stdout.trim() === 'done')).toBe(true);
  for (const p of [c.api, c.worker, ...[...c.gateways.values()].map((g) => g.proc)]) expect(p.child.exitCode, `${p.name} exited`).toBeNull();
}

/** Drops every connection to the test database but the one asking. */
async function terminateBackends(): Promise<number> {
  const admin = new Client({ connectionString: pg.adminUrl });
  await admin.connect();
  try {
    const r = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [c.db.name]);
    return r.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

/** A second session for device 0 on gw-2 must, through NOTIFY, make gw-1 close the agent's session. */
async function expectCrossGatewayTakeover(): Promise<void> {
  const device = devices[0]!;
  const replacedLines = (): number => agents[0]!.lines.filter((l) => l.includes(`"code":${CLOSE_CODES.replaced}`)).length;
  const before = replacedLines();
  const ws = new WebSocket(c.gateways.get('gw-2')!.url);
  // The impostor keeps its heartbeats up, so only a replacement (not a heartbeat timeout while the agent is in
  // its reconnect backoff) can end its session.
  const beat = setInterval(() => {
    if (ws.readyState === WebSocket.OPEN) ws.send(encodeAgentMessage({ type: 'heartbeat' }));
  }, 300);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))).finally(() => clearInterval(beat));
  ws.once('open', () => ws.send(encodeAgentMessage({ type: 'hello', deviceId: device.id, token: device.token, facts: collectFacts(), running: [] })));
  // gw-1's listener hears gw-2's notice and closes the agent's session there.
  await waitFor("gw-1 to close the agent's replaced session", () => replacedLines() > before, 20_000);
  // The agent comes back to gw-1, whose notice makes gw-2 close the impostor session in turn.
  expect(await closed, "gw-2's listener heard gw-1's notice").toBe(CLOSE_CODES.replaced);
}

describe('PostgreSQL faults mid-batch', () => {
  it('survives every connection of the database being terminated, twice', async () => {
    await runThrough(async () => {
      expect(await terminateBackends()).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await terminateBackends()).toBeGreaterThan(0);
    });
    await expectCrossGatewayTakeover();
  }, 120_000);

  it('survives the server being restarted', async () => {
    await runThrough(() => pg.restart(3000));
    await expectCrossGatewayTakeover();
  }, 120_000);
});
