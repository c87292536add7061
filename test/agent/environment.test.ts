// What a command sees of the agent's environment, with a real agent process on a real gateway: never the
// device token nor any FLOTILLA_* variable, nor the names the owner hid; the action's env on top.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seal } from '../../src/security/secrets';
import { READY, startProcess, type RunningProcess } from '../helpers/processes';
import { insertDevice, insertExecution, shAction, type TestDevice } from '../agent-gateway/fixtures';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

const SHOW_ENV = "env; echo ---; cat /proc/self/environ | tr '\\0' '\\n'";

let h: GatewayHarness;
const tmp = mkdtempSync(path.join(tmpdir(), 'flotilla-agent-env-'));
const agents: RunningProcess[] = [];

function agentProcess(device: TestDevice, env: Record<string, string>, args: string[]): RunningProcess {
  const p = startProcess('agent', 'src/main/agent.ts', env, [
    '--gateway',
    h.gateway.url,
    '--device-id',
    device.id,
    '--data-dir',
    path.join(tmp, device.id),
    ...args,
  ]);
  agents.push(p);
  return p;
}

/** Runs SHOW_ENV with an action env var and answers the command's stdout. */
async function commandEnvironment(device: TestDevice): Promise<string> {
  const id = await insertExecution(h.db.handle.orm, device.id, shAction(SHOW_ENV, { envKeys: ['STEP_VAR'], envSealed: seal({ STEP_VAR: 'from-the-step' }, h.secretKey) }));
  expect(await h.deliver(id, device.id)).toEqual({ status: 'succeeded', exitCode: 0, error: null });
  return (await h.execution(id)).stdout ?? '';
}

beforeAll(async () => {
  h = await startGatewayHarness(inject('temporalAddress'));
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await h?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the environment of commands', () => {
  it('has no token, no FLOTILLA_* and no hidden name; the rest of the service environment and the step env pass', async () => {
    const device = await insertDevice(h.db.handle.orm);
    const agent = agentProcess(
      device,
      { FLOTILLA_AGENT_TOKEN: device.token, FLOTILLA_EXTRA: 'agent-only', SERVICE_PASSWORD: 'hunter2-hidden', SERVICE_REGION: 'eu-west' },
      ['--hide-env', 'SERVICE_PASSWORD'],
    );
    await agent.waitForLine(READY);
    const out = await commandEnvironment(device);
    const [envOut, procOut] = out.split('---\n');
    for (const seen of [envOut!, procOut!]) {
      expect(seen).not.toContain(device.token);
      expect(seen).not.toMatch(/^FLOTILLA_/m);
      expect(seen).not.toContain('hunter2-hidden');
      expect(seen).toMatch(/^SERVICE_REGION=eu-west$/m);
      expect(seen).toMatch(/^STEP_VAR=from-the-step$/m);
    }
  });

  it('with --clean-env and a 0600 token file, a command sees only PATH and its own env', async () => {
    const device = await insertDevice(h.db.handle.orm);
    const tokenFile = path.join(tmp, `${device.id}.token`);
    writeFileSync(tokenFile, `${device.token}\n`, { mode: 0o600 });
    const agent = agentProcess(device, { SERVICE_REGION: 'eu-west' }, ['--token-file', tokenFile, '--clean-env']);
    await agent.waitForLine(READY);
    const out = await commandEnvironment(device);
    const [, procOut] = out.split('---\n');
    const names = procOut!.split('\n').filter(Boolean).map((l) => l.split('=')[0]).sort();
    // sh itself may add PWD; nothing from the service environment comes through.
    expect(names.filter((n) => n !== 'PWD')).toEqual(['PATH', 'STEP_VAR']);
    expect(out).not.toContain(device.token);
  });
});

describe('the token', () => {
  it('a token file group or others can read is refused with a clear message', async () => {
    const device = await insertDevice(h.db.handle.orm);
    const tokenFile = path.join(tmp, `${device.id}.open-token`);
    writeFileSync(tokenFile, device.token);
    chmodSync(tokenFile, 0o644);
    const agent = agentProcess(device, {}, ['--token-file', tokenFile]);
    expect(await agent.exited).toBe(1);
    expect(agent.lines.join('\n')).toContain(`the token file ${tokenFile} is accessible by group or others (mode 0644); run: chmod 600 ${tokenFile}`);
    expect(agent.lines.join('\n')).not.toContain(device.token);
  });

  it('--token still works, with a warning', async () => {
    const device = await insertDevice(h.db.handle.orm);
    const agent = agentProcess(device, {}, ['--token', device.token]);
    await agent.waitForLine(READY);
    expect(agent.lines.some((l) => l.includes('"level":40') && l.includes('--token puts the device token on the command line'))).toBe(true);
  });
});
