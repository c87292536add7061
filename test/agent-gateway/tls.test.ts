// The gateway over wss with a certificate from a throwaway CA: a real agent given that CA (--ca)
// connects and runs a command; an agent without it, or trusting another CA, is refused with a clear
// certificate error and keeps retrying with backoff.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/agent-gateway';
import { loadServerConfig } from '../../src/config';
import { devices, executions } from '../../src/db/schema';
import { makeTestCerts, type TestCerts } from '../helpers/certs';
import { READY, startProcess, type RunningProcess } from '../helpers/processes';
import { insertDevice, insertExecution, shAction, type TestDevice } from './fixtures';
import { startGatewayStack, type GatewayStack } from './stack';

let stack: GatewayStack;
let gateway: Gateway;
let certs: TestCerts;
const tmp = mkdtempSync(path.join(tmpdir(), 'flotilla-tls-'));
const agents: RunningProcess[] = [];

beforeAll(async () => {
  certs = makeTestCerts();
  stack = await startGatewayStack();
  gateway = await stack.startGateway({ FLOTILLA_TLS_CERT: certs.serverCert, FLOTILLA_TLS_KEY: certs.serverKey });
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await stack?.close();
  rmSync(tmp, { recursive: true, force: true });
  if (certs) rmSync(certs.dir, { recursive: true, force: true });
});

function startAgent(device: TestDevice, extra: string[], env: Record<string, string> = {}): RunningProcess {
  const args = ['--gateway', gateway.url, '--device-id', device.id, '--token', device.token, '--data-dir', path.join(tmp, device.id), ...extra];
  const agent = startProcess('agent', 'src/main/agent.ts', env, args);
  agents.push(agent);
  return agent;
}

const certificateRejections = (agent: RunningProcess): number => agent.lines.filter((l) => l.includes('gateway TLS certificate rejected')).length;

describe('gateway over wss', () => {
  it('serves wss:// and a real agent trusting the custom CA connects and runs a command', async () => {
    expect(gateway.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    const device = await insertDevice(stack.db.handle.orm);
    const agent = startAgent(device, ['--ca', certs.caCert]);
    await agent.waitForLine(READY, 30_000);
    const id = await insertExecution(stack.db.handle.orm, device.id, shAction('echo over-tls'));
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    expect(await env.run(gateway.activities.deliverToAgent, { executionId: id, deviceId: device.id })).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    const [row] = await stack.db.handle.orm.select().from(executions).where(eq(executions.id, id));
    expect(row).toMatchObject({ status: 'succeeded', stdout: 'over-tls\n' });
  });

  it('the CA may also come from FLOTILLA_CA_FILE', async () => {
    const device = await insertDevice(stack.db.handle.orm);
    const agent = startAgent(device, [], { FLOTILLA_CA_FILE: certs.caCert });
    await agent.waitForLine(READY, 30_000);
    const [d] = await stack.db.handle.orm.select().from(devices).where(eq(devices.id, device.id));
    expect(d).toMatchObject({ online: true, gatewayId: gateway.gatewayId });
  });

  it('an agent without the CA, or trusting another CA, is refused with a clear certificate error and keeps retrying', async () => {
    const without = startAgent(await insertDevice(stack.db.handle.orm), []);
    const other = await insertDevice(stack.db.handle.orm);
    const wrongCa = startAgent(other, ['--ca', certs.otherCaCert]);
    for (const agent of [without, wrongCa]) {
      await agent.waitForLine(/gateway TLS certificate rejected: pass the CA that signed it with --ca FILE/, 30_000);
      expect(agent.lines.some((l) => l.includes('"level":50') && l.includes('gateway TLS certificate rejected'))).toBe(true);
    }
    // Backoff starts at 250 ms: more attempts follow within seconds, and the process lives on.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(certificateRejections(without)).toBeGreaterThanOrEqual(2);
    expect(certificateRejections(wrongCa)).toBeGreaterThanOrEqual(2);
    expect(without.lines.some((l) => /"code":"(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)"/.test(l))).toBe(true);
    expect(without.child.exitCode).toBeNull();
    const [d] = await stack.db.handle.orm.select().from(devices).where(eq(devices.id, other.id));
    expect(d!.online).toBe(false);
  });
});

describe('TLS configuration', () => {
  it('needs both files, readable, and names the variable otherwise', () => {
    expect(() => loadServerConfig({ FLOTILLA_TLS_CERT: certs.serverCert })).toThrow(/FLOTILLA_TLS_CERT and FLOTILLA_TLS_KEY must be set together/);
    expect(() => loadServerConfig({ FLOTILLA_TLS_CERT: '/nonexistent/cert.pem', FLOTILLA_TLS_KEY: certs.serverKey })).toThrow(
      /FLOTILLA_TLS_CERT: cannot read \/nonexistent\/cert\.pem/,
    );
    expect(loadServerConfig({ FLOTILLA_TLS_CERT: certs.serverCert, FLOTILLA_TLS_KEY: certs.serverKey }).tls?.cert).toContain('BEGIN CERTIFICATE');
  });
});
