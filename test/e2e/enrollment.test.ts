// Enrollment end to end: a real agent enrolls itself with a key through the API (its token lands in a
// 0600 file, never on a command line), connects to the gateway and runs a batch's command; enrolling the
// same machine again keeps its device and rotates its token; a first start with --enroll-key enrolls and
// connects in one go; a revoked key is refused with the server's message.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executionsOf, startCluster, type Cluster } from '../helpers/cluster';
import { READY, startProcess, type RunningProcess } from '../helpers/processes';

let c: Cluster;
let gatewayUrl: string;
const agents: RunningProcess[] = [];

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
  gatewayUrl = c.gateways.values().next().value!.url;
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await c?.stop();
});

/** Each agent is its own machine: no shared /etc/machine-id, an id generated in its data folder. */
function agent(dataDir: string, args: string[]): RunningProcess {
  const p = startProcess(`agent:${path.basename(dataDir)}`, 'src/main/agent.ts', { FLOTILLA_MACHINE_ID_FILE: path.join(c.tmp, 'no-machine-id') }, [
    '--data-dir',
    dataDir,
    ...args,
  ]);
  agents.push(p);
  return p;
}

async function newKey(body: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const res = await c.http<{ enrollmentKey: { id: string }; key: string }>('POST', '/v1/enrollment-keys', { name: `k-${randomUUID().slice(0, 6)}`, ...body });
  expect(res.status).toBe(201);
  return { id: res.body.enrollmentKey.id, key: res.body.key };
}

async function runCommand(deviceId: string, command: string): Promise<{ status: string; stdout: string }> {
  const batchId = await c.startBatch({ targets: { deviceIds: [deviceId] }, steps: [{ type: 'command', shell: 'sh', command, timeoutSec: 30 }] });
  await c.waitForBatch(batchId);
  const [execution] = await executionsOf(c, batchId);
  return { status: execution!.status, stdout: execution!.stdout };
}

const enrolledDevice = (dataDir: string): { deviceId: string } => JSON.parse(readFileSync(path.join(dataDir, 'device.json'), 'utf8'));

describe('an agent enrolling itself', () => {
  it('enrolls with a key, connects, runs a command; enrolling again keeps the device and rotates the token', async () => {
    const { key } = await newKey({ tags: ['enrolled'] });
    const dataDir = path.join(c.tmp, 'agents', 'enrolled-1');
    const name = `enrolled-${randomUUID().slice(0, 6)}`;
    const enrolling = agent(dataDir, ['enroll', '--url', c.apiUrl, '--key', key, '--name', name, '--tags', 'rack-1']);
    expect(await enrolling.exited).toBe(0);
    expect(enrolling.lines.join('\n')).not.toContain(key);
    const tokenFile = path.join(dataDir, 'token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const { deviceId } = enrolledDevice(dataDir);
    const device = await c.http<{ device: { name: string; tags: string[] } }>('GET', `/v1/devices/${deviceId}`);
    expect(device.body.device).toMatchObject({ name });
    expect([...device.body.device.tags].sort()).toEqual(['enrolled', 'rack-1']);

    // The enrolled agent needs no device id or token on its command line.
    const running = agent(dataDir, ['--gateway', gatewayUrl]);
    await running.waitForLine(READY);
    expect(await runCommand(deviceId, 'echo enrolled-$((40+2))')).toEqual({ status: 'succeeded', stdout: 'enrolled-42\n' });

    const firstToken = readFileSync(tokenFile, 'utf8');
    const again = agent(dataDir, ['enroll', '--url', c.apiUrl, '--key', key]);
    expect(await again.exited).toBe(0);
    expect(enrolledDevice(dataDir).deviceId).toBe(deviceId);
    expect(readFileSync(tokenFile, 'utf8')).not.toBe(firstToken);
    // The session on the old token is closed at once; the restarted agent connects with the new one.
    await running.waitForLine(/token was rotated/);
    await running.stop();
    const restarted = agent(dataDir, ['--gateway', gatewayUrl]);
    await restarted.waitForLine(READY);
    expect(await runCommand(deviceId, 'echo again')).toEqual({ status: 'succeeded', stdout: 'again\n' });
    const named = await c.http<{ items: unknown[] }>('GET', `/v1/devices?q=${name}`);
    expect(named.body.items).toHaveLength(1);
  });

  it('a first start with --enroll-key enrolls and connects in one go', async () => {
    const { key } = await newKey();
    const dataDir = path.join(c.tmp, 'agents', 'first-start');
    const p = agent(dataDir, ['--enroll-key', key, '--url', c.apiUrl, '--gateway', gatewayUrl, '--name', `first-${randomUUID().slice(0, 6)}`]);
    await p.waitForLine(READY);
    const { deviceId } = enrolledDevice(dataDir);
    expect(await runCommand(deviceId, 'echo first')).toEqual({ status: 'succeeded', stdout: 'first\n' });
  });

  it('a revoked key is refused with the server message, and nothing is written', async () => {
    const { id, key } = await newKey();
    expect((await c.http('DELETE', `/v1/enrollment-keys/${id}`)).status).toBe(204);
    const dataDir = path.join(c.tmp, 'agents', 'revoked');
    const p = agent(dataDir, ['enroll', '--url', c.apiUrl, '--key', key]);
    expect(await p.exited).toBe(1);
    expect(p.lines.join('\n')).toContain('enrollment refused: this enrollment key was revoked: ask an operator for a new one (enrollment_key_revoked)');
    expect(existsSync(path.join(dataDir, 'token'))).toBe(false);
  });
});
