// Agent protocol fuzz against a real gateway (real PostgreSQL, real Temporal worker, a real agent process
// running real commands): generated hostile connections each end with the right close code, the
// well-behaved agent keeps its session and runs commands before, during and after, and no execution row
// changes. FUZZ_SEED reproduces a run.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { asc, eq, notInArray } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/agent-gateway';
import { batches, devices, executions } from '../../src/db/schema';
import type { TestDatabase } from '../helpers/database';
import { READY, startProcess, type RunningProcess } from '../helpers/processes';
import { helloClient, insertDevice, insertExecution, rawClient, shAction, type RawClient, type TestDevice } from './fixtures';
import { hostileConnections, type HostileConnection } from './hostile-connections';
import { startGatewayStack, type GatewayStack } from './stack';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const CONNECTIONS = Number(process.env.FUZZ_CONNECTIONS ?? 240);
const LANES = 4;
const MAX_FRAME_BYTES = 64 * 1024;
const MAX_MESSAGES_PER_SEC = 50;

let stack: GatewayStack;
let testDb: TestDatabase;
let gateway: Gateway;
let agent: RunningProcess;
let goodDevice: TestDevice;
const tmp = mkdtempSync(path.join(tmpdir(), 'flotilla-pfuzz-'));
/** Executions the well-behaved agent ran: the only rows allowed to change. */
const goodExecutions: string[] = [];

beforeAll(async () => {
  stack = await startGatewayStack();
  testDb = stack.db;
  gateway = await stack.startGateway({
    FLOTILLA_GATEWAY_ID: `pfuzz-${randomBytes(4).toString('hex')}`,
    FLOTILLA_MAX_FRAME_BYTES: String(MAX_FRAME_BYTES),
    FLOTILLA_AGENT_MAX_MESSAGES_PER_SEC: String(MAX_MESSAGES_PER_SEC),
  });
  goodDevice = await insertDevice(testDb.handle.orm);
  agent = startProcess('agent', 'src/main/agent.ts', {}, ['--gateway', gateway.url, '--device-id', goodDevice.id, '--token', goodDevice.token, '--data-dir', path.join(tmp, 'good')]);
  await agent.waitForLine(READY, 30_000);
});

afterAll(async () => {
  await agent?.stop('SIGKILL', 1000);
  await stack?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A real command through the well-behaved agent, the way the device workflow delivers it. */
async function runGood(command: string): Promise<unknown> {
  const id = await insertExecution(testDb.handle.orm, goodDevice.id, shAction(command));
  goodExecutions.push(id);
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  await env.run(gateway.activities.deliverToAgent, { executionId: id, deviceId: goodDevice.id });
  const [row] = await testDb.handle.orm.select().from(executions).where(eq(executions.id, id));
  return { status: row?.status, stdout: row?.stdout };
}

async function untouchedRows(): Promise<unknown> {
  const db = testDb.handle.orm;
  const rows = await db.select().from(executions).where(notInArray(executions.id, goodExecutions.length > 0 ? goodExecutions : ['00000000-0000-4000-8000-000000000000'])).orderBy(asc(executions.id));
  return { executions: rows, batches: (await db.$count(batches)) - goodExecutions.length };
}

/** Plays one hostile connection; answers what it ended with. */
async function play(conn: HostileConnection, device: TestDevice): Promise<number | 'open'> {
  const c: RawClient = conn.hello ? await helloClient(gateway.url, device) : await rawClient(gateway.url);
  for (const f of conn.frames) c.ws.send(f);
  const ended = await Promise.race([c.closed.then((x) => x.code), new Promise<'open'>((r) => setTimeout(() => r('open'), 3_000))]);
  if (ended === 'open') c.ws.terminate();
  return ended;
}

describe('agent protocol fuzz', () => {
  it(`closes ${CONNECTIONS} generated hostile connections with the right code while a real agent keeps working, recording nothing`, async () => {
    const foreignExecutionId = await insertExecution(testDb.handle.orm, goodDevice.id, shAction('echo never'));
    expect(await runGood('echo before')).toEqual({ status: 'succeeded', stdout: 'before\n' });
    const [{ sessionId }] = (await testDb.handle.orm.select({ sessionId: devices.sessionId }).from(devices).where(eq(devices.id, goodDevice.id))) as [{ sessionId: string }];
    const before = await untouchedRows();

    const cases = fc.sample(hostileConnections({ foreignExecutionId, maxFrameBytes: MAX_FRAME_BYTES, maxMessagesPerSec: MAX_MESSAGES_PER_SEC }), { seed: SEED, numRuns: CONNECTIONS });
    const lanes = await Promise.all(Array.from({ length: LANES }, () => insertDevice(testDb.handle.orm)));
    const wrong: string[] = [];
    const kinds = new Map<string, number>();
    // The well-behaved agent runs a command while the hostile connections play, in LANES at a time.
    const during = runGood('sleep 1; echo during');
    await Promise.all(
      lanes.map(async (device, lane) => {
        for (let i = lane; i < cases.length; i += LANES) {
          const conn = cases[i]!;
          const ended = await play(conn, device);
          kinds.set(conn.kind, (kinds.get(conn.kind) ?? 0) + 1);
          if (!conn.expect.includes(ended)) wrong.push(`#${i} ${conn.kind}: ended ${ended}, expected ${conn.expect.join(' or ')}; first frame ${String(conn.frames[0]).slice(0, 200)}`);
        }
      }),
    );
    console.info(`protocol fuzz (FUZZ_SEED=${SEED}): ${cases.length} connections ${JSON.stringify(Object.fromEntries(kinds))}; gateway counters ${JSON.stringify(gateway.counters)}`);
    expect(wrong, `FUZZ_SEED=${SEED}`).toEqual([]);
    expect(await during).toEqual({ status: 'succeeded', stdout: 'during\n' });
    expect(await runGood('echo after')).toEqual({ status: 'succeeded', stdout: 'after\n' });
    // The well-behaved agent kept its one session throughout; nothing the hostile ones sent was recorded.
    const [now] = await testDb.handle.orm.select({ sessionId: devices.sessionId, online: devices.online }).from(devices).where(eq(devices.id, goodDevice.id));
    expect(now).toEqual({ sessionId, online: true });
    expect(await untouchedRows()).toEqual(before);
    expect(gateway.counters.rateLimited).toBe(kinds.get('flood') ?? 0);
  }, 300_000);

  it('leaves a connection sending just under the frame rate open', async () => {
    const device = await insertDevice(testDb.handle.orm);
    const c = await helloClient(gateway.url, device);
    const perTick = Math.floor(MAX_MESSAGES_PER_SEC / 10) - 1;
    for (let tick = 0; tick < 20; tick++) {
      for (let i = 0; i < perTick; i++) c.send({ type: 'heartbeat' });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    c.ws.close();
  });
});
