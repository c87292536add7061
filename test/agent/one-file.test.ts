// The one-file agent: `npm run build:agent` output runs with plain node from a folder with no
// node_modules, and the single executable runs with no Node at all; both connect to a real gateway, report
// their version in the facts and run commands. Their memory is measured here (figures in docs/agents.md).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { version } from '../../package.json';
import { devices } from '../../src/db/schema';
import { PROTOCOL_VERSION } from '../../src/protocol/constants';
import { READY, startProgram, type RunningProcess } from '../helpers/processes';
import { insertDevice, insertExecution, shAction, type TestDevice } from '../agent-gateway/fixtures';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

const ROOT = path.resolve(__dirname, '../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'flotilla-one-file-'));
const build = path.join(tmp, 'build');
/** A folder with the built files only: no node_modules above it. */
const installed = path.join(tmp, 'opt');
const agents: RunningProcess[] = [];
/**
 * Resident memory budgets in MB. The product's: 50 idle, 70 running a command. The single executable meets
 * them; under a system `node` the bundle idles about 2 MB above 50 (measured in docs/agents.md), so its idle
 * guard is 55 until that is brought down. A command printing more than the 1 MiB output cap holds the capped
 * output several times over while the result is encoded and journaled: its own, looser guard.
 */
const BUDGET_MB = { sea: { idle: 50, busy: 70, flood: 75 }, cjs: { idle: 55, busy: 70, flood: 80 } };
let h: GatewayHarness;

/** Resident memory of a process, now and at its peak, in MB (Linux /proc). */
function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

function startBuilt(program: 'cjs' | 'sea', device: TestDevice, gatewayUrl = h.gateway.url): RunningProcess {
  const tokenFile = path.join(tmp, `${device.id}.token`);
  writeFileSync(tokenFile, device.token, { mode: 0o600 });
  const args = ['--gateway', gatewayUrl, '--device-id', device.id, '--token-file', tokenFile, '--data-dir', path.join(tmp, device.id)];
  // Nothing of the test's environment: no NODE_OPTIONS, no tsx loader.
  const env = { PATH: '/usr/bin:/bin', FLOTILLA_LOG_LEVEL: 'info' };
  const p =
    program === 'cjs'
      ? startProgram('agent.cjs', process.execPath, [path.join(installed, 'flotilla-agent.cjs'), ...args], env, installed)
      : startProgram('agent', path.join(installed, 'flotilla-agent'), args, env, installed);
  agents.push(p);
  return p;
}

async function runOn(device: TestDevice, command: string): Promise<{ status: string; stdout: string }> {
  const id = await insertExecution(h.db.handle.orm, device.id, shAction(command));
  const outcome = await h.deliver(id, device.id);
  return { status: outcome.status, stdout: (await h.execution(id)).stdout ?? '' };
}

beforeAll(async () => {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/build-agent.ts'), '--sea', '--out', build], { cwd: ROOT, stdio: 'pipe' });
  execFileSync('mkdir', ['-p', installed]);
  for (const f of ['flotilla-agent.cjs', 'flotilla-agent']) copyFileSync(path.join(build, f), path.join(installed, f));
  execFileSync('chmod', ['755', path.join(installed, 'flotilla-agent')]);
  h = await startGatewayHarness(inject('temporalAddress'));
}, 240_000);

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await h?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe.each(['cjs', 'sea'] as const)('the %s build', (program) => {
  it('connects, reports its version and protocol, runs a command, within its memory budget', async () => {
    const device = await insertDevice(h.db.handle.orm);
    const agent = startBuilt(program, device);
    await agent.waitForLine(READY);
    const [row] = await h.db.handle.orm.select().from(devices).where(eq(devices.id, device.id));
    expect(row!.facts).toMatchObject({ agentVersion: version, protocolVersion: PROTOCOL_VERSION });

    // Idle and connected: a few heartbeats in.
    await new Promise((r) => setTimeout(r, 3_000));
    const idle = memoryMb(agent.child.pid!);
    // A command that prints 100 KB over a second, streamed live.
    expect(await runOn(device, 'head -c 100000 /dev/zero | tr "\\0" x; sleep 1; echo done')).toMatchObject({ status: 'succeeded' });
    const busy = memoryMb(agent.child.pid!);
    // Then one that prints 2 MB, over the output cap.
    expect(await runOn(device, 'head -c 2000000 /dev/zero | tr "\\0" x; echo; echo done')).toMatchObject({ status: 'succeeded' });
    const flood = memoryMb(agent.child.pid!);
    console.log(
      `${program} agent memory: idle ${idle.rss.toFixed(1)} MB RSS, peak with a command ${busy.peak.toFixed(1)} MB, with 2 MB of output ${flood.peak.toFixed(1)} MB`,
    );
    expect(idle.rss).toBeLessThan(BUDGET_MB[program].idle);
    expect(busy.peak).toBeLessThan(BUDGET_MB[program].busy);
    expect(flood.peak).toBeLessThan(BUDGET_MB[program].flood);
  });
});

describe('the minimum agent version', () => {
  let strict: GatewayHarness;
  beforeAll(async () => {
    strict = await startGatewayHarness(inject('temporalAddress'), { FLOTILLA_MIN_AGENT_VERSION: '99.0.0' });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it('a gateway refuses an older agent with a message naming the version to install', async () => {
    const device = await insertDevice(strict.db.handle.orm);
    const agent = startBuilt('cjs', device, strict.gateway.url);
    const line = await agent.waitForLine(/gateway refused the connection/);
    expect(line).toContain(`agent version ${version} is older than 99.0.0, the oldest this gateway accepts: install flotilla-agent 99.0.0 or newer`);
    await agent.waitForLine(/"code":4003.*does not accept this agent version/);
    const [row] = await strict.db.handle.orm.select().from(devices).where(eq(devices.id, device.id));
    expect(row!.online).toBe(false);
  });
});
