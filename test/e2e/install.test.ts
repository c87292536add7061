// The install script for real: fetched from a running API with an enrollment key, run with sh (paths
// moved under a temp folder, systemctl replaced by a stub that checks the unit file), it downloads and
// checks the agent, enrolls the machine and writes the unit; the agent the unit starts connects and
// runs a command. --dry-run changes nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executionsOf, startCluster, type Cluster } from '../helpers/cluster';
import { READY, startProgram, type RunningProcess } from '../helpers/processes';

const ROOT = path.resolve(__dirname, '../..');
let c: Cluster;
let script: string;
let key: string;
const agents: RunningProcess[] = [];

/** A systemctl that records its calls and, on enable, checks the unit the script wrote. */
const SYSTEMCTL_STUB = `#!/bin/sh
echo "$*" >> "$STUB_LOG"
if [ "$*" = "enable --now flotilla-agent.service" ]; then
  unit="$FLOTILLA_UNIT_DIR/flotilla-agent.service"
  for line in "User=$FLOTILLA_AGENT_USER" "Restart=always" "ExecStart=$FLOTILLA_NODE $FLOTILLA_PREFIX/flotilla-agent.cjs --data-dir $FLOTILLA_AGENT_DATA_DIR" "WantedBy=multi-user.target"; do
    grep -qxF "$line" "$unit" || { echo "unit file lacks: $line" >&2; exit 1; }
  done
fi
`;

function layout(name: string): Record<string, string> {
  const base = path.join(c.tmp, name);
  const bin = path.join(base, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'systemctl'), SYSTEMCTL_STUB);
  chmodSync(path.join(bin, 'systemctl'), 0o755);
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    FLOTILLA_PREFIX: path.join(base, 'opt'),
    FLOTILLA_AGENT_DATA_DIR: path.join(base, 'var-lib'),
    FLOTILLA_UNIT_DIR: path.join(base, 'units'),
    FLOTILLA_AGENT_USER: userInfo().username,
    FLOTILLA_SYSTEMCTL: path.join(bin, 'systemctl'),
    FLOTILLA_NODE: process.execPath,
    FLOTILLA_AGENT_NAME: `installed-${name}`,
    // This host's /etc/machine-id is every test's: each install is a machine of its own.
    FLOTILLA_MACHINE_ID_FILE: path.join(base, 'no-machine-id'),
    STUB_LOG: path.join(base, 'systemctl.log'),
  };
}

beforeAll(async () => {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/build-agent.ts')], { cwd: ROOT, stdio: 'pipe' });
  c = await startCluster(inject('temporalAddress'));
  // Enrollment answers the gateway this API is configured with.
  const gateway = new URL(c.gateways.values().next().value!.url);
  c.env.FLOTILLA_PUBLIC_HOST = gateway.hostname;
  c.env.FLOTILLA_GATEWAY_PORT = gateway.port;
  await c.api.stop();
  await c.startApi();
  const created = await c.http<{ key: string }>('POST', '/v1/enrollment-keys', { name: 'install', tags: ['installed'] });
  key = created.body.key;
  const res = await fetch(`${c.apiUrl}/v1/agent/install.sh?key=${key}`);
  expect(res.status).toBe(200);
  script = path.join(c.tmp, 'install.sh');
  writeFileSync(script, await res.text());
}, 240_000);

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await c?.stop();
});

describe('install.sh', () => {
  it('is served for a usable key only, as readable sh carrying the agent sha256', async () => {
    const text = readFileSync(script, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    const download = await fetch(`${c.apiUrl}/v1/agent/download`);
    const sha = download.headers.get('x-checksum-sha256');
    expect(text).toContain(`AGENT_SHA256='${sha}'`);
    const byHeader = await fetch(`${c.apiUrl}/v1/agent/install.sh`, { headers: { 'x-enrollment-key': key } });
    expect(await byHeader.text()).toBe(text);
    const bad = await fetch(`${c.apiUrl}/v1/agent/install.sh?key=fek_${'x'.repeat(32)}`);
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('enrollment_key_invalid');
    expect(spawnSync('sh', ['-n', script]).status).toBe(0);
  });

  it('--dry-run says what it would do and changes nothing', () => {
    const env = layout('dry');
    const run = spawnSync('sh', [script, '--dry-run'], { env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`would run: mkdir -p ${env.FLOTILLA_PREFIX}`);
    expect(run.stdout).toContain(`would write ${env.FLOTILLA_UNIT_DIR}/flotilla-agent.service`);
    expect(run.stdout).toContain('would run: ' + env.FLOTILLA_SYSTEMCTL + ' enable --now flotilla-agent.service');
    for (const p of [env.FLOTILLA_PREFIX!, env.FLOTILLA_AGENT_DATA_DIR!, env.FLOTILLA_UNIT_DIR!, env.STUB_LOG!]) expect(existsSync(p)).toBe(false);
  });

  it('installs, enrolls and writes the unit; the agent it starts connects and runs a command', async () => {
    const env = layout('real');
    const run = spawnSync('sh', [script], { env, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(key);
    expect(statSync(path.join(env.FLOTILLA_PREFIX!, 'flotilla-agent.cjs')).mode & 0o777).toBe(0o755);
    expect(statSync(env.FLOTILLA_AGENT_DATA_DIR!).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(env.FLOTILLA_AGENT_DATA_DIR!, 'token')).mode & 0o777).toBe(0o600);
    expect(readFileSync(env.STUB_LOG!, 'utf8')).toBe('daemon-reload\nenable --now flotilla-agent.service\n');

    // What systemd would start: the unit's ExecStart, with no environment of ours.
    const unit = readFileSync(path.join(env.FLOTILLA_UNIT_DIR!, 'flotilla-agent.service'), 'utf8');
    const [file, ...args] = /^ExecStart=(.*)$/m.exec(unit)![1]!.split(' ');
    const agent = startProgram('installed-agent', file!, args, { PATH: '/usr/bin:/bin' }, '/');
    agents.push(agent);
    await agent.waitForLine(READY);
    const { deviceId } = JSON.parse(readFileSync(path.join(env.FLOTILLA_AGENT_DATA_DIR!, 'device.json'), 'utf8')) as { deviceId: string };
    const device = await c.http<{ device: { name: string; tags: string[]; status: string } }>('GET', `/v1/devices/${deviceId}`);
    expect(device.body.device).toMatchObject({ name: 'installed-real', tags: ['installed'], status: 'online' });
    const batchId = await c.startBatch({ targets: { deviceIds: [deviceId] }, steps: [{ type: 'command', shell: 'sh', command: 'echo installed-ok', timeoutSec: 30 }] });
    await c.waitForBatch(batchId);
    const [execution] = await executionsOf(c, batchId);
    expect(execution).toMatchObject({ status: 'succeeded', stdout: 'installed-ok\n' });
  });
});
