// Fifty one-file agents (node dist/flotilla-agent.cjs) enrolling with one key at the same moment: a key
// with maxUses 40 admits exactly 40, each admitted machine gets exactly one device, the other 10 exit
// with the server's message, and all 40 run a command.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executionsOf, startCluster, type Cluster } from '../helpers/cluster';
import { READY, startProgram, type RunningProcess } from '../helpers/processes';

const ROOT = path.resolve(__dirname, '../..');
const AGENTS = 50;
const MAX_USES = 40;
let c: Cluster;
const agents: RunningProcess[] = [];

beforeAll(async () => {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/build-agent.ts')], { cwd: ROOT, stdio: 'pipe' });
  c = await startCluster(inject('temporalAddress'));
}, 240_000);

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await c?.stop();
});

describe('many agents enrolling at once', () => {
  it(`a key with maxUses ${MAX_USES} admits exactly ${MAX_USES} of ${AGENTS} agents, one device each, and all of them run a command`, async () => {
    const tag = `many-${Date.now().toString(36)}`;
    const created = await c.http<{ enrollmentKey: { id: string }; key: string }>('POST', '/v1/enrollment-keys', { name: tag, tags: [tag], maxUses: MAX_USES });
    expect(created.status).toBe(201);
    const gateway = c.gateways.values().next().value!.url;
    const dataDirs = Array.from({ length: AGENTS }, (_, i) => path.join(c.tmp, 'many', `agent-${i}`));
    for (const [i, dir] of dataDirs.entries()) {
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        FLOTILLA_LOG_LEVEL: 'info',
        FLOTILLA_ENROLL_KEY: created.body.key,
        // One machine per agent (this host's /etc/machine-id would make them all one).
        FLOTILLA_MACHINE_ID_FILE: path.join(c.tmp, 'no-machine-id'),
      };
      agents.push(
        startProgram(`agent-${i}`, process.execPath, [path.join(ROOT, 'dist/flotilla-agent.cjs'), '--url', c.apiUrl, '--gateway', gateway, '--data-dir', dir, '--name', `${tag}-${i}`], env),
      );
    }
    const outcomes = await Promise.all(
      agents.map((a) =>
        Promise.race([a.waitForLine(READY, 240_000).then(() => 'ready' as const), a.exited.then((code) => `exited ${code}` as const)]),
      ),
    );
    expect(outcomes.filter((o) => o === 'ready')).toHaveLength(MAX_USES);
    expect(outcomes.filter((o) => o === 'exited 1')).toHaveLength(AGENTS - MAX_USES);
    const refused = agents.filter((_, i) => outcomes[i] === 'exited 1');
    for (const a of refused) expect(a.lines.join('\n')).toContain('enrollment_key_used_up');

    const deviceIds = dataDirs.flatMap((dir, i) =>
      outcomes[i] === 'ready' ? [(JSON.parse(readFileSync(path.join(dir, 'device.json'), 'utf8')) as { deviceId: string }).deviceId] : [],
    );
    expect(new Set(deviceIds).size).toBe(MAX_USES);
    const listed = await c.http<{ items: Array<{ id: string }> }>('GET', `/v1/devices?tag=${tag}&limit=200`);
    expect(listed.body.items.map((d) => d.id).sort()).toEqual([...deviceIds].sort());
    const key = await c.http<{ enrollmentKey: { uses: number; usesLeft: number } }>('GET', `/v1/enrollment-keys/${created.body.enrollmentKey.id}`);
    expect(key.body.enrollmentKey).toMatchObject({ uses: MAX_USES, usesLeft: 0 });

    const batchId = await c.startBatch({ targets: { tags: [tag] }, steps: [{ type: 'command', shell: 'sh', command: 'echo many-ok', timeoutSec: 60 }] });
    await c.waitForBatch(batchId, 240_000);
    const executions = await executionsOf(c, batchId);
    expect(executions).toHaveLength(MAX_USES);
    expect(executions.every((e) => e.status === 'succeeded' && e.stdout === 'many-ok\n')).toBe(true);
  }, 600_000);
});
