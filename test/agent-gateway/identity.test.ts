// Agent identity: rotating a device's token or deleting the device ends its session at once on
// whichever gateway holds it (PostgreSQL NOTIFY from the API), the old token then fails; frames that
// name executions never dispatched to the agent close its connection; a full gateway refuses agents.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Gateway } from '../../src/agent-gateway';
import { markDeviceOnline } from '../../src/db/queries/presence';
import { devices, executions } from '../../src/db/schema';
import { CLOSE_CODES } from '../../src/protocol/constants';
import { hashToken } from '../../src/security/secrets';
import { waitFor } from '../helpers/ports';
import { READY, startProcess, type RunningProcess } from '../helpers/processes';
import { FACTS, helloClient, insertDevice, insertExecution, rawClient, shAction, type TestDevice } from './fixtures';
import { TEST_ADMIN_TOKEN } from '../helpers/config';
import { startGatewayStack, type GatewayStack } from './stack';

let stack: GatewayStack;
let gwA: Gateway;
let gwB: Gateway;
let api: ReturnType<GatewayStack['api']>;
const tmp = mkdtempSync(path.join(tmpdir(), 'flotilla-identity-'));
const agents: RunningProcess[] = [];

beforeAll(async () => {
  stack = await startGatewayStack();
  gwA = await stack.startGateway();
  gwB = await stack.startGateway();
  api = stack.api();
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await stack?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: { [k: string]: unknown } | undefined }> {
  const res = await api.request(path, {
    method,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function registeredDevice(): Promise<TestDevice> {
  const res = await call('POST', '/v1/devices', { name: `id-${Math.random().toString(36).slice(2, 10)}` });
  expect(res.status).toBe(201);
  const body = res.body as { device: { id: string }; agentToken: string };
  return { id: body.device.id, token: body.agentToken };
}

async function deviceRow(id: string) {
  const [d] = await stack.db.handle.orm.select().from(devices).where(eq(devices.id, id));
  return d;
}

async function executionRow(id: string) {
  const [r] = await stack.db.handle.orm.select().from(executions).where(eq(executions.id, id));
  return r!;
}

async function markDispatched(executionId: string): Promise<void> {
  await stack.db.handle.orm.update(executions).set({ status: 'dispatched', dispatchedAt: new Date() }).where(eq(executions.id, executionId));
}

const refusedCode = async (url: string, device: TestDevice): Promise<number> => {
  const c = await rawClient(url);
  c.send({ type: 'hello', deviceId: device.id, token: device.token, facts: FACTS, running: [] });
  return (await c.closed).code;
};

describe('revoking an agent’s credentials', () => {
  it('rotate-token answers a new token, closes the session with 4010 at once on the gateway holding it, and the old token fails', async () => {
    const device = await registeredDevice();
    const session = await helloClient(gwA.url, device);
    const revokedBefore = gwA.counters.revoked;
    const rotated = await call('POST', `/v1/devices/${device.id}/rotate-token`);
    expect(rotated.status).toBe(200);
    const token = (rotated.body as { token: string }).token;
    expect(token).toMatch(/^fla_/);
    expect(token).not.toBe(device.token);
    expect(await session.closed).toEqual({ code: CLOSE_CODES.tokenRotated, reason: 'token_rotated' });
    expect(gwA.counters.revoked).toBe(revokedBefore + 1);
    expect((await deviceRow(device.id))!.tokenHash).toBe(hashToken(token));
    // Only the hash is stored and the device's answers never carry a token.
    expect(JSON.stringify((await call('GET', `/v1/devices/${device.id}`)).body)).not.toContain(token);

    expect(await refusedCode(gwB.url, device)).toBe(CLOSE_CODES.unauthorized);
    expect(await refusedCode(gwA.url, device)).toBe(CLOSE_CODES.unauthorized);
    const fresh = await helloClient(gwB.url, { id: device.id, token });
    expect(await deviceRow(device.id)).toMatchObject({ online: true, gatewayId: gwB.gatewayId, sessionId: fresh.sessionId });
    fresh.ws.close();
  });

  it('rotate-token of an unknown device is a 404 that changes nothing', async () => {
    const res = await call('POST', '/v1/devices/00000000-0000-4000-8000-000000000000/rotate-token');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('deleting a device closes its session with 4011 at once and it can no longer connect', async () => {
    const device = await registeredDevice();
    const session = await helloClient(gwB.url, device);
    expect((await call('DELETE', `/v1/devices/${device.id}`)).status).toBe(204);
    expect(await session.closed).toEqual({ code: CLOSE_CODES.deviceDeleted, reason: 'device_deleted' });
    expect(await refusedCode(gwA.url, device)).toBe(CLOSE_CODES.unauthorized);
  });

  it('a session authenticated against a token rotated meanwhile is not recorded', async () => {
    const device = await insertDevice(stack.db.handle.orm);
    const stale = hashToken(device.token);
    await stack.db.handle.orm.update(devices).set({ tokenHash: hashToken('fla_rotated-in-between-000') }).where(eq(devices.id, device.id));
    const recorded = await markDeviceOnline(stack.db.handle.orm, { deviceId: device.id, tokenHash: stale, gatewayId: 'gw-x', sessionId: 's', facts: FACTS });
    expect(recorded).toBe(false);
    expect(await deviceRow(device.id)).toMatchObject({ online: false, sessionId: null });
  });

  it('a real agent whose token is rotated logs it clearly and keeps retrying without getting in', async () => {
    const device = await registeredDevice();
    const agent = startProcess('agent', 'src/main/agent.ts', {}, ['--gateway', gwA.url, '--device-id', device.id, '--token', device.token, '--data-dir', path.join(tmp, device.id)]);
    agents.push(agent);
    await agent.waitForLine(READY, 30_000);
    expect((await call('POST', `/v1/devices/${device.id}/rotate-token`)).status).toBe(200);
    await agent.waitForLine(/token was rotated: restart the agent with the new token/, 10_000);
    await agent.waitForLine(/refused this device token; retrying with backoff/, 15_000);
    expect(await deviceRow(device.id)).toMatchObject({ online: false });
  });
});

describe('frames naming executions not dispatched to this agent', () => {
  const now = (): string => new Date().toISOString();
  const result = (executionId: string) =>
    ({ type: 'result', executionId, status: 'succeeded', exitCode: 0, stdout: 'forged', stderr: '', truncated: false, startedAt: now(), completedAt: now(), error: null }) as const;

  it('a result for its own execution that was never dispatched closes with 4008 and stores nothing', async () => {
    const device = await insertDevice(stack.db.handle.orm);
    const id = await insertExecution(stack.db.handle.orm, device.id, shAction('true'));
    const c = await helloClient(gwA.url, device);
    c.send(result(id));
    expect((await c.closed).code).toBe(CLOSE_CODES.policyViolation);
    expect(await executionRow(id)).toMatchObject({ status: 'queued', stdout: null, exitCode: null });
    expect(c.frames.some((f) => f.type === 'result.ack')).toBe(false);
  });

  it('started for another device’s dispatched execution closes with 4008 and changes nothing', async () => {
    const owner = await insertDevice(stack.db.handle.orm);
    const intruder = await insertDevice(stack.db.handle.orm);
    const id = await insertExecution(stack.db.handle.orm, owner.id, shAction('true'));
    await markDispatched(id);
    const before = gwA.counters.policyViolations;
    const c = await helloClient(gwA.url, intruder);
    c.send({ type: 'started', executionId: id, startedAt: now() });
    expect((await c.closed).code).toBe(CLOSE_CODES.policyViolation);
    expect(c.frames.find((f) => f.type === 'error')).toMatchObject({ code: 'policy_violation' });
    expect(await executionRow(id)).toMatchObject({ status: 'dispatched', startedAt: null });
    expect(gwA.counters.policyViolations).toBe(before + 1);
  });

  it('a hello claiming to run another device’s execution is refused with 4008 before any session is recorded', async () => {
    const owner = await insertDevice(stack.db.handle.orm);
    const intruder = await insertDevice(stack.db.handle.orm);
    const id = await insertExecution(stack.db.handle.orm, owner.id, shAction('true'));
    await markDispatched(id);
    const c = await rawClient(gwB.url);
    c.send({ type: 'hello', deviceId: intruder.id, token: intruder.token, facts: FACTS, running: [id] });
    expect((await c.closed).code).toBe(CLOSE_CODES.policyViolation);
    expect(c.frames.some((f) => f.type === 'welcome')).toBe(false);
    expect(await deviceRow(intruder.id)).toMatchObject({ online: false, sessionId: null });
  });

  it('frames for executions dispatched to the agent are recorded and acknowledged, and the session stays', async () => {
    const device = await insertDevice(stack.db.handle.orm);
    const id = await insertExecution(stack.db.handle.orm, device.id, shAction('true'));
    await markDispatched(id);
    // Ids that name no execution at all (a batch deleted since) do not make a hello foreign.
    const c = await rawClient(gwA.url);
    c.send({ type: 'hello', deviceId: device.id, token: device.token, facts: FACTS, running: [id, '00000000-0000-4000-8000-00000000abcd'] });
    await c.waitFrame('welcome');
    c.send({ type: 'started', executionId: id, startedAt: now() });
    await waitFor('running', async () => (await executionRow(id)).status === 'running');
    c.send(result(id));
    await c.waitFrame('result.ack');
    expect(await executionRow(id)).toMatchObject({ status: 'succeeded', stdout: 'forged' });
    // A re-sent result is acknowledged again, not stored again.
    c.send({ ...result(id), stdout: 'second' });
    await waitFor('second ack', () => c.frames.filter((f) => f.type === 'result.ack').length === 2);
    expect((await executionRow(id)).stdout).toBe('forged');
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    c.ws.close();
  });
});

describe('agents per gateway', () => {
  it('a full gateway refuses new agents with 4012, and a real agent moves on to another gateway', async () => {
    const full = await stack.startGateway({ FLOTILLA_MAX_AGENTS_PER_GATEWAY: '1' });
    const holder = await helloClient(full.url, await insertDevice(stack.db.handle.orm));
    // The holder heartbeats like an agent, so its session outlives the test (heartbeat 1 s).
    const beat = setInterval(() => holder.send({ type: 'heartbeat' }), 300);
    onTestFinished(() => clearInterval(beat));
    const refused = await rawClient(full.url);
    expect((await refused.closed).code).toBe(CLOSE_CODES.gatewayFull);
    expect(refused.frames[0]).toMatchObject({ type: 'error', code: 'gateway_full' });
    expect(full.counters.refusedFull).toBe(1);

    const device = await insertDevice(stack.db.handle.orm);
    const agent = startProcess('agent', 'src/main/agent.ts', {}, ['--gateway', `${full.url},${gwB.url}`, '--device-id', device.id, '--token', device.token, '--data-dir', path.join(tmp, device.id)]);
    agents.push(agent);
    // The refusal is logged before the agent moves on; stdout and stderr lines may arrive in either order.
    await agent.waitForLine(/the gateway holds its maximum of agents: trying another gateway later/, 30_000);
    await agent.waitForLine(READY, 30_000);
    expect(await deviceRow(device.id)).toMatchObject({ online: true, gatewayId: gwB.gatewayId });
    // The held session was never disturbed.
    expect(holder.ws.readyState).toBe(holder.ws.OPEN);
    holder.ws.close();
  });
});
