// The real CLI process against a real system: startStack (API, workflow worker, gateway) on a fresh
// database and the suite's Temporal dev server, with two real demo agents running real commands.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batches } from '../../src/db/schema';
import type { Stack } from '../../src/main/stack';
import { waitFor } from '../helpers/ports';
import { startCliStack, type CliStack } from './cli-stack';
import { runCli, startCli } from './run-cli';

let cs: CliStack;
let stack: Stack;
let env: Record<string, string>;

const cli = (...args: string[]) => runCli(args, env);
const batchIdFrom = (stderr: string): string => /batch ([0-9a-f-]{36}) started/.exec(stderr)?.[1] ?? '';

beforeAll(async () => {
  cs = await startCliStack(inject('temporalAddress'), 'cli');
  stack = cs.stack;
  env = cs.env;
}, 180_000);

afterAll(async () => {
  await cs?.stop();
});

describe('flotilla run', () => {
  it('runs a command on a group, prints one line per device and exits 0', async () => {
    const r = await cli('run', '--group', 'demo', '--', 'echo', 'hello-from-cli');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/batch [0-9a-f-]{36} started on 2 device\(s\)/);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^DEVICE\s+STATUS\s+EXIT\s+DURATION\s+OUTPUT$/);
    for (const name of ['demo-1', 'demo-2']) {
      expect(lines.find((l) => l.startsWith(name))).toMatch(new RegExp(`^${name}\\s+succeeded\\s+0\\s+\\S+\\s+hello-from-cli$`));
    }
    expect(r.stdout).toMatch(/batch [0-9a-f-]{36} succeeded: succeeded 2/);
  });

  it('exits 1 when a device fails, and --json carries exit codes and output', async () => {
    const r = await cli('run', '--group', 'demo', '--json', '--', 'echo oops >&2; exit 3');
    expect(r.code, r.stderr).toBe(1);
    const body = JSON.parse(r.stdout) as { batch: { status: string }; executions: Array<{ status: string; exitCode: number; stderr: string }> };
    expect(body.batch.status).toBe('failed');
    expect(body.executions).toHaveLength(2);
    for (const e of body.executions) expect(e).toMatchObject({ status: 'failed', exitCode: 3, stderr: 'oops\n' });
  });

  it('Ctrl-C cancels the batch, keeps following, and the running commands end cancelled', async () => {
    const run = startCli(['run', '--group', 'demo', '--', 'sleep 30'], env);
    await waitFor('the batch to start', () => batchIdFrom(run.stderr()) || undefined, 30_000);
    const batchId = batchIdFrom(run.stderr());
    await waitFor(
      'both devices running',
      async () => {
        const res = await fetch(`${stack.apiUrl}/v1/batches/${batchId}`, { headers: { authorization: `Bearer ${stack.adminToken}` } });
        const body = (await res.json()) as { batch: { stats: Record<string, number> } };
        return body.batch.stats.running === 2;
      },
      30_000,
    );
    const sentAt = Date.now();
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(Date.now() - sentAt).toBeLessThan(25_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`cancelling batch ${batchId}`);
    expect(r.stdout).toMatch(/^demo-1\s+cancelled/m);
    expect(r.stdout).toMatch(/^demo-2\s+cancelled/m);
    expect(r.stdout).toContain(`batch ${batchId} cancelled`);
  });

  it('an offline device ends undeliverable after its delivery window', async () => {
    const added = await cli('devices', 'add', 'cli-offline', '--json');
    expect(added.code, added.stderr).toBe(0);
    const { device } = JSON.parse(added.stdout) as { device: { id: string } };
    const r = await cli('run', '--device', device.id, '--delivery-timeout', '1', '--', 'true');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^cli-offline\s+undeliverable/m);
  });

  it('exits 2 with the reason on usage and API errors, and starts nothing', async () => {
    const batchCount = async () => (await stack.db.orm.select({ id: batches.id }).from(batches)).length;
    const before = await batchCount();
    const unknownGroup = await cli('run', '--group', 'no-such-group', '--', 'true');
    expect(unknownGroup.code).toBe(2);
    expect(unknownGroup.stderr).toContain('no group named "no-such-group"');

    const rejected = await cli('run', '--group', 'demo', '--concurrency', '0', '--', 'true');
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/error: .+\(HTTP 400, validation_error\)/);
    expect(rejected.stderr).toContain('concurrency');

    const noCommand = await cli('run', '--group', 'demo');
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('give the command to run after --');

    const badToken = await runCli(['devices', 'list'], { ...env, FLOTILLA_TOKEN: 'not-the-admin-token' });
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toContain('HTTP 401');

    const unknownFlag = await cli('run', '--bogus', '--', 'true');
    expect(unknownFlag.code).toBe(2);

    expect(await batchCount()).toBe(before);
  });
});

describe('flotilla batches', () => {
  it('shows, lists, and refuses to cancel a finished batch', async () => {
    const run = await cli('run', '--group', 'demo', '--', 'echo shown');
    expect(run.code, run.stderr).toBe(0);
    const batchId = batchIdFrom(run.stderr);

    const show = await cli('batches', 'show', batchId);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`batch     ${batchId}`);
    expect(show.stdout).toMatch(/status\s+succeeded \(100% done\)/);
    expect(show.stdout).toMatch(/devices\s+succeeded 2/);
    expect(show.stdout).toMatch(/^demo-1\s+succeeded\s+0\s+\S+\s+shown$/m);

    const json = await cli('batches', 'show', batchId, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ batch: { id: batchId, status: 'succeeded', targetCount: 2 } });

    const list = await cli('batches', 'list', '--status', 'succeeded');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${batchId}\\s+succeeded\\s+2`, 'm'));

    const cancel = await cli('batches', 'cancel', batchId);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toContain('HTTP 409');
  });
});

describe('flotilla devices and groups', () => {
  it('adds a device, printing its token once and the agent command line', async () => {
    const r = await cli('devices', 'add', 'cli-web-1', '--tag', 'cli-web', '--hostname', 'web1.local', '--gateway', stack.gatewayUrl);
    expect(r.code, r.stderr).toBe(0);
    const id = /device id\s+([0-9a-f-]{36})/.exec(r.stdout)?.[1];
    const token = /agent token\s+(\S+)/.exec(r.stdout)?.[1];
    expect(id).toBeDefined();
    expect(token).toMatch(/^fla_/);
    expect(r.stdout).toContain(`npm run agent -- --gateway ${stack.gatewayUrl} --device-id ${id} --token ${token}`);

    const list = await cli('devices', 'list', '--tag', 'cli-web');
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+cli-web-1\\s+offline\\s+web1\\.local\\s+cli-web`, 'm'));
    expect(list.stdout).not.toContain(token);
  });

  it('lists devices by group and status', async () => {
    const online = await cli('devices', 'list', '--group', 'demo', '--status', 'online', '--json');
    expect(online.code, online.stderr).toBe(0);
    const names = (JSON.parse(online.stdout) as Array<{ name: string }>).map((d) => d.name).sort();
    expect(names).toEqual(['demo-1', 'demo-2']);
  });

  it('creates a group with members and lists it', async () => {
    const created = await cli('groups', 'create', 'cli-pair', '--device', stack.demoDeviceIds[0]!, '--device', stack.demoDeviceIds[1]!);
    expect(created.code, created.stderr).toBe(0);
    const groupId = /group cli-pair created: ([0-9a-f-]{36})/.exec(created.stdout)?.[1];
    expect(groupId).toBeDefined();
    const list = await cli('groups', 'list');
    expect(list.stdout).toMatch(new RegExp(`^${groupId}\\s+cli-pair`, 'm'));

    const run = await cli('run', '--group', 'cli-pair', '--sequential', '--', 'echo', 'in-order');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.match(/succeeded/g)?.length).toBeGreaterThanOrEqual(2);
  });
});

describe('flotilla schedules', () => {
  it('creates, lists, triggers, shows the run, pauses, resumes and deletes a schedule', async () => {
    const created = await cli('schedules', 'create', 'cli-nightly', '--daily', '02:00', '--timezone', 'Europe/Paris', '--group', 'demo', '--json', '--', 'echo', 'from-schedule');
    expect(created.code, created.stderr).toBe(0);
    const schedule = JSON.parse(created.stdout) as { id: string; nextRunTimes: string[]; paused: boolean };
    expect(schedule.nextRunTimes).toHaveLength(5);
    expect(schedule.paused).toBe(false);

    const list = await cli('schedules', 'list');
    expect(list.stdout).toMatch(/cli-nightly\s+\S+\s+daily 02:00\s+Europe\/Paris\s+active/);

    expect((await cli('schedules', 'trigger', schedule.id)).stdout).toContain('triggered cli-nightly');
    await waitFor('the triggered run to succeed', async () => {
      const shown = await cli('schedules', 'show', schedule.id, '--json');
      const runs = (JSON.parse(shown.stdout) as { runs: Array<{ status: string }> }).runs;
      return runs[0]?.status === 'succeeded';
    });
    const shown = await cli('schedules', 'show', schedule.id);
    expect(shown.stdout).toContain('when:      daily 02:00 (Europe/Paris), overlap skip');
    expect(shown.stdout).toMatch(/succeeded\s+[0-9a-f-]{36}\s+2/);

    expect((await cli('schedules', 'pause', schedule.id, '--note', 'freeze')).stdout).toContain('paused');
    expect((await cli('schedules', 'show', schedule.id)).stdout).toContain('state:     paused: freeze');
    expect((await cli('schedules', 'resume', schedule.id)).stdout).toContain('active');
    expect((await cli('schedules', 'delete', schedule.id)).code).toBe(0);
    const gone = await cli('schedules', 'show', schedule.id);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('HTTP 404');
  }, 120_000);

  it('refuses a create without exactly one spec flag before any request', async () => {
    const r = await cli('schedules', 'create', 'x', '--daily', '02:00', '--cron', '* * * * *', '--group', 'demo', '--', 'true');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exactly one of --cron');
  });
});
