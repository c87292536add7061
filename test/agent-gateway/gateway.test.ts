// The gateway in-process against the real test database and Temporal dev server, with real agent
// processes running real shell commands. deliverToAgent is called through MockActivityEnvironment.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/agent-gateway';
import { STILL_RUNNING } from '../../src/agent-gateway/activities';
import { devices, executions } from '../../src/db/schema';
import { CLOSE_CODES, OUTPUT_CAP_BYTES } from '../../src/protocol/constants';
import { seal } from '../../src/security/secrets';
import { DELIVERY_ERRORS, deviceConnectedSignal, deviceWorkflowId, type DeliverInput, type DeviceOutcome } from '../../src/workflows/definitions';
import { TEST_SECRET_KEY } from '../helpers/config';
import type { TestDatabase } from '../helpers/database';
import { waitFor } from '../helpers/ports';
import { READY, startProcess, type RunningProcess } from '../helpers/processes';
import { FACTS, helloClient, insertDevice, insertExecution, rawClient, shAction, type TestDevice } from './fixtures';
import { startGatewayStack, type GatewayStack } from './stack';

let stack: GatewayStack;
let testDb: TestDatabase;
let client: Client;
let gateway: Gateway;
const tmp = mkdtempSync(path.join(tmpdir(), 'flotilla-gw-'));
const agents: RunningProcess[] = [];

/** A gateway of the stack with a short heartbeat, so silent sessions are noticed quickly. */
function startTestGateway(gatewayId: string): Promise<Gateway> {
  return stack.startGateway({ FLOTILLA_GATEWAY_ID: gatewayId, FLOTILLA_HEARTBEAT_MS: '500' });
}

async function startAgent(device: TestDevice, dataDir = path.join(tmp, device.id), url = gateway.url): Promise<RunningProcess> {
  const p = startProcess('agent', 'src/main/agent.ts', {}, ['--gateway', url, '--device-id', device.id, '--token', device.token, '--data-dir', dataDir]);
  agents.push(p);
  await p.waitForLine(READY, 30_000);
  return p;
}

const activityEnv = (): MockActivityEnvironment => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

function deliver(input: DeliverInput, env = activityEnv()): Promise<DeviceOutcome> {
  return env.run(gateway.activities.deliverToAgent, input);
}

async function row(executionId: string) {
  const [r] = await testDb.handle.orm.select().from(executions).where(eq(executions.id, executionId));
  return r!;
}

/** The agent's own pid (tsx runs it as a child, so killing the wrapper is not enough). */
function agentPid(p: RunningProcess): number {
  const line = p.lines.find((l) => l.includes('"pid":'));
  return Number(/"pid":(\d+)/.exec(line ?? '')?.[1]);
}

function killAgent(p: RunningProcess): void {
  try {
    process.kill(agentPid(p), 'SIGKILL');
  } catch {
    // already gone
  }
}

const execStarts = (p: RunningProcess, executionId: string): number =>
  p.lines.filter((l) => l.includes('"msg":"exec start"') && l.includes(executionId)).length;

beforeAll(async () => {
  stack = await startGatewayStack();
  testDb = stack.db;
  client = stack.client;
  gateway = await startTestGateway(`gw-${randomBytes(4).toString('hex')}`);
});

afterAll(async () => {
  for (const a of agents) killAgent(a);
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await stack?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('gateway with a real agent', () => {
  let device: TestDevice;
  let agent: RunningProcess;

  beforeAll(async () => {
    device = await insertDevice(testDb.handle.orm);
    agent = await startAgent(device);
  });

  it('records the session and the facts the agent reports', async () => {
    const [d] = await testDb.handle.orm.select().from(devices).where(eq(devices.id, device.id));
    expect(d).toMatchObject({ online: true, gatewayId: gateway.gatewayId });
    expect(d!.sessionId).toBeTruthy();
    expect(d!.facts).toMatchObject({ arch: process.arch });
    expect(d!.hostname).toBe(d!.facts!.hostname);
  });

  it('delivers a command with sealed env and stores the result', async () => {
    const id = await insertExecution(
      testDb.handle.orm,
      device.id,
      shAction('echo "hello $WHO"; echo warn >&2; exit 3', { envKeys: ['WHO'], envSealed: seal({ WHO: 'fleet' }, TEST_SECRET_KEY) }),
    );
    const heartbeats: unknown[] = [];
    const env = activityEnv();
    env.on('heartbeat', (d: unknown) => heartbeats.push(d));
    const outcome = await deliver({ executionId: id, deviceId: device.id }, env);
    expect(outcome).toEqual({ status: 'failed', exitCode: 3, error: 'warn' });
    const r = await row(id);
    expect(r).toMatchObject({ status: 'failed', exitCode: 3, stdout: 'hello fleet\n', stderr: 'warn\n', truncated: false, gatewayId: gateway.gatewayId });
    expect(r.startedAt).toBeInstanceOf(Date);
    expect(r.completedAt!.getTime()).toBeGreaterThanOrEqual(r.startedAt!.getTime());
    expect(heartbeats.length).toBeGreaterThan(0);
    // The env value never reaches a log line.
    expect(agent.lines.some((l) => l.includes('fleet'))).toBe(false);
  });

  it('answers a final execution at once, without sending it', async () => {
    const id = await insertExecution(testDb.handle.orm, device.id, shAction('true'));
    await testDb.handle.orm.update(executions).set({ status: 'skipped' }).where(eq(executions.id, id));
    expect(await deliver({ executionId: id, deviceId: device.id })).toEqual({ status: 'skipped', exitCode: null, error: null });
    expect(execStarts(agent, id)).toBe(0);
  });

  it('a re-sent dispatch of a finished execution returns the journaled result without running it again', async () => {
    const marker = path.join(tmp, `marker-${device.id}`);
    const id = await insertExecution(testDb.handle.orm, device.id, shAction(`echo run >> ${marker}; echo done`));
    expect(await deliver({ executionId: id, deviceId: device.id })).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    // As if the result had been lost: the row goes back to dispatched and the workflow delivers again.
    await testDb.handle.orm.update(executions).set({ status: 'dispatched', stdout: null, exitCode: null }).where(eq(executions.id, id));
    expect(await deliver({ executionId: id, deviceId: device.id })).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    expect((await row(id)).stdout).toBe('done\n');
    expect(readFileSync(marker, 'utf8')).toBe('run\n');
    expect(execStarts(agent, id)).toBe(1);
  });

  it('cancellation makes the agent kill the command and answers cancelled', async () => {
    const marker = path.join(tmp, `cancelled-${device.id}`);
    const id = await insertExecution(testDb.handle.orm, device.id, shAction(`sleep 30; touch ${marker}`));
    const env = activityEnv();
    const delivery = deliver({ executionId: id, deviceId: device.id }, env);
    await waitFor('running', async () => (await row(id)).status === 'running');
    env.cancel();
    expect(await delivery).toEqual({ status: 'cancelled', exitCode: null, error: 'cancelled' });
    expect(existsSync(marker)).toBe(false);
  });

  it('keeps output up to the cap and flags it truncated', async () => {
    const id = await insertExecution(testDb.handle.orm, device.id, shAction("head -c 3000000 /dev/zero | tr '\\0' 'x'"));
    expect(await deliver({ executionId: id, deviceId: device.id })).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    const r = await row(id);
    expect(r.truncated).toBe(true);
    expect(r.stdout!.length).toBe(OUTPUT_CAP_BYTES);
  });

  it('fails the execution clearly when the sealed env cannot be decrypted', async () => {
    const id = await insertExecution(testDb.handle.orm, device.id, shAction('true', { envKeys: ['A'], envSealed: seal({ A: '1' }, randomBytes(32).toString('hex')) }));
    expect(await deliver({ executionId: id, deviceId: device.id })).toEqual({ status: 'failed', exitCode: null, error: "the action's env values cannot be decrypted with this gateway's FLOTILLA_SECRET_KEY" });
    expect((await row(id)).error).toMatch(/cannot be decrypted/);
    expect(execStarts(agent, id)).toBe(0);
  });
});

describe('delivery failures', () => {
  it('throws AgentNotConnected for a device without a session here', async () => {
    const device = await insertDevice(testDb.handle.orm);
    const id = await insertExecution(testDb.handle.orm, device.id, shAction('true'));
    const err = await deliver({ executionId: id, deviceId: device.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: DELIVERY_ERRORS.notConnected, nonRetryable: true });
    expect((await row(id)).status).toBe('queued');
  });

  it('an agent killed mid-command: the delivery fails as disconnected, and after restart the command is failed, never rerun', async () => {
    const device = await insertDevice(testDb.handle.orm);
    const dataDir = path.join(tmp, `restart-${device.id}`);
    const first = await startAgent(device, dataDir);
    const marker = path.join(tmp, `restart-marker-${device.id}`);
    const pidFile = path.join(tmp, `restart-pid-${device.id}`);
    const id = await insertExecution(testDb.handle.orm, device.id, shAction(`echo $$ > ${pidFile}; echo run >> ${marker}; sleep 30`));
    const delivery = deliver({ executionId: id, deviceId: device.id }).catch((e: unknown) => e);
    await waitFor('running', async () => (await row(id)).status === 'running');
    killAgent(first);
    expect(await delivery).toMatchObject({ type: DELIVERY_ERRORS.disconnected, nonRetryable: true });
    await waitFor('device offline', async () => {
      const [d] = await testDb.handle.orm.select().from(devices).where(eq(devices.id, device.id));
      return d?.online === false;
    });
    const second = await startAgent(device, dataDir);
    // The restarted agent reports the interrupted command as failed on its own, unasked.
    await waitFor('failed result', async () => (await row(id)).status === 'failed');
    expect((await row(id)).error).toBe('agent restarted while the command was running');
    // A later delivery gets the stored outcome; nothing runs again.
    expect(await deliver({ executionId: id, deviceId: device.id })).toEqual({ status: 'failed', exitCode: null, error: 'agent restarted while the command was running' });
    await testDb.handle.orm.update(executions).set({ status: 'dispatched' }).where(eq(executions.id, id));
    expect(await deliver({ executionId: id, deviceId: device.id })).toEqual({ status: 'failed', exitCode: null, error: 'agent restarted while the command was running' });
    expect(readFileSync(marker, 'utf8')).toBe('run\n');
    expect(execStarts(second, id)).toBe(0);
    await second.stop('SIGTERM');
    // The orphaned command of the killed agent is still sleeping: clean it up.
    process.kill(-Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
  });
});

describe('brief delivery (a local activity of a worker in the same process)', () => {
  it('an agent killed mid-command answers still-running, not an error, so the device workflow follows up', async () => {
    const device = await insertDevice(testDb.handle.orm);
    const agent = await startAgent(device, path.join(tmp, `brief-${device.id}`));
    const pidFile = path.join(tmp, `brief-pid-${device.id}`);
    const id = await insertExecution(testDb.handle.orm, device.id, shAction(`echo $$ > ${pidFile}; sleep 30`));
    const delivery = activityEnv().run(() => gateway.briefDelivery.deliver({ executionId: id, deviceId: device.id }, 20_000));
    await waitFor('running', async () => (await row(id)).status === 'running');
    killAgent(agent);
    expect(await delivery).toBe(STILL_RUNNING);
    // The orphaned command of the killed agent is still sleeping: clean it up.
    process.kill(-Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
  });
});

describe('agent reconnects and stops', () => {
  it('a result finished while disconnected is sent after the agent reconnects', async () => {
    const device = await insertDevice(testDb.handle.orm);
    const agent = await startAgent(device);
    const id = await insertExecution(testDb.handle.orm, device.id, shAction('sleep 2; echo later'));
    const delivery = deliver({ executionId: id, deviceId: device.id }).catch((e: unknown) => e);
    await waitFor('running', async () => (await row(id)).status === 'running');
    // An impostor session replaces the agent's; the agent's delivery fails, its command keeps running.
    const impostor = await helloClient(gateway.url, device);
    expect(await delivery).toMatchObject({ type: DELIVERY_ERRORS.disconnected });
    impostor.ws.close();
    await waitFor('agent back', async () => {
      const [d] = await testDb.handle.orm.select().from(devices).where(eq(devices.id, device.id));
      return d?.online === true && d.sessionId !== impostor.sessionId;
    });
    // The workflow delivers again while the command still runs: the agent does not start it twice.
    expect(await deliver({ executionId: id, deviceId: device.id })).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    expect((await row(id)).stdout).toBe('later\n');
    expect(execStarts(agent, id)).toBe(1);
  });

  it('on SIGTERM the agent lets the running command finish, reports it and exits 0', async () => {
    const device = await insertDevice(testDb.handle.orm);
    const agent = await startAgent(device);
    const id = await insertExecution(testDb.handle.orm, device.id, shAction('sleep 1; echo finished'));
    const delivery = deliver({ executionId: id, deviceId: device.id });
    await waitFor('running', async () => (await row(id)).status === 'running');
    process.kill(agentPid(agent), 'SIGTERM');
    expect(await delivery).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    expect(await agent.exited).toBe(0);
    expect((await row(id)).stdout).toBe('finished\n');
  });
});

describe('waking device workflows', () => {
  it('signals deviceConnected to the waiting device workflow when the agent connects', async () => {
    const device = await insertDevice(testDb.handle.orm);
    const executionId = await insertExecution(testDb.handle.orm, device.id, shAction('true'));
    const [exec] = await testDb.handle.orm.select().from(executions).where(eq(executions.id, executionId));
    await testDb.handle.orm.update(executions).set({ status: 'delayed' }).where(eq(executions.id, executionId));
    // A workflow nobody executes still records the signals it receives in its history.
    const handle = await client.workflow.start('deviceWorkflow', {
      taskQueue: `nobody-polls-${device.id}`,
      workflowId: deviceWorkflowId(exec!.batchId, device.id),
      args: [],
    });
    try {
      const c = await helloClient(gateway.url, device);
      const signal = await waitFor('deviceConnected signal', async () => {
        const history = await handle.fetchHistory();
        return history.events?.find((e) => e.workflowExecutionSignaledEventAttributes?.signalName === deviceConnectedSignal.name);
      });
      expect(signal).toBeTruthy();
      c.ws.close();
    } finally {
      await handle.terminate('test done');
    }
  });
});

describe('connection policy', () => {
  it('refuses a bad token with 4001 and an unknown device the same way', async () => {
    const device = await insertDevice(testDb.handle.orm);
    const before = gateway.counters.rejectedAuth;
    const c = await rawClient(gateway.url);
    c.send({ type: 'hello', deviceId: device.id, token: 'dev_wrong-token-1234567890', facts: FACTS, running: [] });
    expect((await c.closed).code).toBe(CLOSE_CODES.unauthorized);
    expect(c.frames[0]).toMatchObject({ type: 'error', code: 'unauthorized' });
    const u = await rawClient(gateway.url);
    u.send({ type: 'hello', deviceId: '00000000-0000-4000-8000-000000000000', token: device.token, facts: FACTS, running: [] });
    expect((await u.closed).code).toBe(CLOSE_CODES.unauthorized);
    expect(gateway.counters.rejectedAuth).toBe(before + 2);
  });

  it('closes on bad frames (4000), wrong versions (4003) and oversized frames (1009), and keeps serving', async () => {
    const garbage = await rawClient(gateway.url);
    garbage.sendRaw('this is not json');
    expect((await garbage.closed).code).toBe(CLOSE_CODES.badFrame);
    expect(garbage.frames[0]).toMatchObject({ type: 'error', code: 'bad_frame' });

    const early = await rawClient(gateway.url);
    early.send({ type: 'heartbeat' });
    expect((await early.closed).code).toBe(CLOSE_CODES.badFrame);

    const version = await rawClient(gateway.url);
    version.sendRaw(JSON.stringify({ v: 2, type: 'heartbeat', id: 'x' }));
    expect((await version.closed).code).toBe(CLOSE_CODES.unsupportedVersion);

    const device = await insertDevice(testDb.handle.orm);
    const big = await helloClient(gateway.url, device);
    big.sendRaw('x'.repeat(8 * 1024 * 1024 + 10));
    expect((await big.closed).code).toBe(1009);
    await waitFor('oversize counted', () => gateway.counters.oversizedFrames > 0);
    expect(gateway.counters.badFrames).toBeGreaterThanOrEqual(2);

    const fine = await helloClient(gateway.url, device);
    expect(fine.sessionId).toBeTruthy();
    fine.ws.close();
  });

  it('a result for another device’s execution closes with 4008 and records nothing', async () => {
    const owner = await insertDevice(testDb.handle.orm);
    const intruder = await insertDevice(testDb.handle.orm);
    const id = await insertExecution(testDb.handle.orm, owner.id, shAction('true'));
    const c = await helloClient(gateway.url, intruder);
    const now = new Date().toISOString();
    c.send({ type: 'result', executionId: id, status: 'succeeded', exitCode: 0, stdout: 'forged', stderr: '', truncated: false, startedAt: now, completedAt: now, error: null });
    expect((await c.closed).code).toBe(CLOSE_CODES.policyViolation);
    expect(await row(id)).toMatchObject({ status: 'queued', stdout: null });
    expect(c.frames.some((f) => f.type === 'result.ack')).toBe(false);
  });

  it('a second connection for a device replaces the first', async () => {
    const device = await insertDevice(testDb.handle.orm);
    const first = await helloClient(gateway.url, device);
    const second = await helloClient(gateway.url, device);
    expect((await first.closed).code).toBe(CLOSE_CODES.replaced);
    const [d] = await testDb.handle.orm.select().from(devices).where(eq(devices.id, device.id));
    // The old session's close never marks the device offline.
    expect(d).toMatchObject({ online: true, sessionId: second.sessionId });
    second.ws.close();
    await waitFor('offline after close', async () => {
      const [x] = await testDb.handle.orm.select().from(devices).where(eq(devices.id, device.id));
      return x?.online === false && x.sessionId === null;
    });
  });

  it('a connection on another gateway replaces this one', async () => {
    const other = await startTestGateway(`gw-other-${randomBytes(3).toString('hex')}`);
    try {
      const device = await insertDevice(testDb.handle.orm);
      const here = await helloClient(gateway.url, device);
      const there = await helloClient(other.url, device);
      expect((await here.closed).code).toBe(CLOSE_CODES.replaced);
      const [d] = await testDb.handle.orm.select().from(devices).where(eq(devices.id, device.id));
      expect(d).toMatchObject({ online: true, gatewayId: other.gatewayId, sessionId: there.sessionId });
      // A graceful stop closes its sessions with 4009 and marks their devices offline.
      await other.stop();
      expect((await there.closed).code).toBe(CLOSE_CODES.shuttingDown);
      const [after] = await testDb.handle.orm.select().from(devices).where(eq(devices.id, device.id));
      expect(after).toMatchObject({ online: false, sessionId: null });
    } finally {
      await other.stop();
    }
  });

  it('closes a silent session with 4004 and refreshes last_seen for live ones in bulk', async () => {
    const device = await insertDevice(testDb.handle.orm);
    const c = await helloClient(gateway.url, device);
    const [before] = await testDb.handle.orm.select().from(devices).where(eq(devices.id, device.id));
    c.send({ type: 'heartbeat' });
    await waitFor('last seen refreshed', async () => {
      const [d] = await testDb.handle.orm.select().from(devices).where(eq(devices.id, device.id));
      return d!.lastSeenAt!.getTime() > before!.lastSeenAt!.getTime();
    });
    expect((await c.closed).code).toBe(CLOSE_CODES.heartbeatTimeout);
  });
});
