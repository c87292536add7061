// Outcome groups, output search and the CLI's grouped results on real processes: real agents run commands
// whose output depends on the device (each agent process gets its own ANSWER and IDX variables).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCluster, type Cluster, type Device, type ExecutionView } from '../helpers/cluster';
import { openEventStream, type ParsedEvent } from '../helpers/sse';
import { runCli } from '../cli/run-cli';

interface Group {
  key: string;
  status: string;
  exitCode: number | null;
  count: number;
  stdoutSample: string;
  truncated: boolean;
  deviceIds: string[];
  devicesUrl: string;
}
interface Groups {
  items: Group[];
  distinct: number;
  nextCursor: string | null;
}

const DEVICES = 6;
let c: Cluster;
let devices: Device[];
const tag = `out-${randomUUID().slice(0, 6)}`;
const answerOf = (i: number): 'A' | 'B' => (i % 2 === 0 ? 'A' : 'B');

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
  devices = [];
  for (let i = 0; i < DEVICES; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  await Promise.all(devices.map((d, i) => c.startAgent(d, undefined, [], { ANSWER: answerOf(i), IDX: String(i) })));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

const command = (cmd: string, extra: Record<string, unknown> = {}) => ({ type: 'command', command: cmd, shell: 'sh', timeoutSec: 60, ...extra });
/** Two answers, each with a timestamp that differs on every device. */
const VERSION = 'echo "version $ANSWER at $(date +%s%N)"';
const idsWith = (answer: 'A' | 'B'): string[] => devices.filter((_, i) => answerOf(i) === answer).map((d) => d.id);

async function outcomes(batchId: string, normalize: string): Promise<Groups> {
  const r = await c.http<Groups>('GET', `/v1/batches/${batchId}/outcomes?normalize=${normalize}`);
  expect(r.status).toBe(200);
  return r.body;
}

async function deviceIdsAt(url: string): Promise<string[]> {
  const r = await c.http<{ items: ExecutionView[]; nextCursor: string | null }>('GET', url);
  expect(r.status).toBe(200);
  expect(r.body.nextCursor).toBeNull();
  return r.body.items.map((e) => e.deviceId).sort();
}

const groupsOf = (e: ParsedEvent): Groups => e.data as unknown as Groups;
const total = (g: Groups): number => g.items.reduce((n, x) => n + x.count, 0);

describe('outcome groups on real agents', () => {
  it('groups a running batch in the event stream and a finished one by digits into the two answers', async () => {
    // Two devices at a time, each for a second: several counts updates while the stream is read.
    const batchId = await c.startBatch({
      targets: { tags: [tag] },
      action: command(`sleep 1; ${VERSION}`),
      strategy: { mode: 'parallel', concurrency: 2 },
    });
    const s = openEventStream(`${c.apiUrl}/v1/batches/${batchId}/events?groups=digits`, c.adminToken);
    await s.done;
    const names = s.events.map((e) => e.event);
    expect(names[0]).toBe('snapshot');
    expect(names[1]).toBe('groups');
    expect(names[names.length - 1]).toBe('end');
    expect(names[names.length - 2]).toBe('groups');
    names.forEach((n, i) => {
      if (n === 'counts') expect(names[i + 1]).toBe('groups');
    });
    const groupEvents = s.events.filter((e) => e.event === 'groups').map(groupsOf);
    expect(names.filter((n) => n === 'counts').length).toBeGreaterThanOrEqual(3);
    // Every device is in a group at every moment, queued and running ones included.
    for (const g of groupEvents) {
      expect(total(g)).toBe(DEVICES);
      expect(g.distinct).toBe(g.items.length);
      expect(g.nextCursor).toBeNull();
      for (const item of g.items) expect(item.key).toMatch(/^d-[0-9a-f]{32}$/);
    }
    const unfinished = groupEvents.flatMap((g) => g.items.filter((x) => x.status !== 'succeeded').map((x) => x.status));
    expect(unfinished).toContain('running');
    expect(unfinished.some((st) => st !== 'running')).toBe(true);

    const digits = await outcomes(batchId, 'digits');
    expect(digits.distinct).toBe(2);
    expect(digits.nextCursor).toBeNull();
    expect(digits.items.map((g) => g.count)).toEqual([3, 3]);
    expect(total(digits)).toBe(DEVICES);
    for (const g of digits.items) {
      expect(g).toMatchObject({ status: 'succeeded', exitCode: 0, truncated: false });
      const answer = /^version ([AB]) at \d+\n$/.exec(g.stdoutSample)?.[1] as 'A' | 'B' | undefined;
      expect(answer).toBeDefined();
      const expected = idsWith(answer!).sort();
      expect([...g.deviceIds].sort()).toEqual(expected);
      expect(await deviceIdsAt(g.devicesUrl)).toEqual(expected);
    }
    expect(new Set(digits.items.map((g) => g.stdoutSample[8]))).toEqual(new Set(['A', 'B']));
    // The stream's last word is the final grouping.
    const last = groupEvents[groupEvents.length - 1]!;
    expect(last.items.map((g) => [g.key, g.count, g.status])).toEqual(digits.items.map((g) => [g.key, g.count, g.status]));

    // Compared as they are, the timestamps split every device into a group of its own.
    const none = await outcomes(batchId, 'none');
    expect(none.distinct).toBe(DEVICES);
    expect(none.items.every((g) => g.count === 1 && /^n-/.test(g.key))).toBe(true);
  });

  it('finds exactly the devices whose output contains a text, inside a 1 MiB truncated output too', async () => {
    // Device 3: the needle at the start of 2 MB of stdout, a marker past the 1 MiB the agent keeps.
    // Device 1: the needle on stderr only. The others print neither.
    const script = [
      'if [ "$IDX" = 3 ]; then printf "the NeedleX comes first "; head -c 2000000 /dev/zero | tr "\\0" x; echo TAILMARK;',
      'elif [ "$IDX" = 1 ]; then echo plain; echo "a needle on stderr" >&2;',
      'else echo "plain $IDX"; fi',
    ].join(' ');
    const batchId = await c.startBatch({ targets: { tags: [tag] }, action: command(script) });
    const view = await c.waitForBatch(batchId);
    expect(view.batch.stats).toMatchObject({ succeeded: DEVICES });
    const find = (query: string): Promise<string[]> => deviceIdsAt(`/v1/batches/${batchId}/executions?${query}&limit=200`);
    const big = devices[3]!.id;
    const onStderr = devices[1]!.id;

    const bigRow = (await c.http<{ items: ExecutionView[] }>('GET', `/v1/batches/${batchId}/executions?stdout=needlex`)).body.items;
    expect(bigRow.map((e) => [e.deviceId, e.truncated])).toEqual([[big, true]]);
    expect(await find('output=needle')).toEqual([big, onStderr].sort());
    expect(await find('stdout=NEEDLE')).toEqual([big]);
    expect(await find('stdout=nEeDlEx')).toEqual([big]);
    expect(await find('stderr=NEEDLE')).toEqual([onStderr]);
    expect(await find('output=plain')).toEqual(devices.filter((_, i) => i !== 3).map((d) => d.id).sort());
    // What the agent cut off is not searched.
    expect(await find('output=tailmark')).toEqual([]);
    const groups = await outcomes(batchId, 'whitespace');
    expect(groups.items.filter((g) => g.truncated).map((g) => g.deviceIds)).toEqual([[big]]);
  });

  it('the CLI prints a batch of more than 20 devices as outcome groups and lists a group or a search', async () => {
    // 15 devices without an agent end undeliverable after a short window; the 6 real agents answer.
    const offline: Device[] = [];
    for (let i = 0; i < 15; i++) offline.push(await c.addDevice(`${tag}-offline-${i}`));
    const batchId = await c.startBatch({
      targets: { deviceIds: [...devices, ...offline].map((d) => d.id) },
      action: command(VERSION),
      deliveryTimeoutSec: 2,
    });
    const view = await c.waitForBatch(batchId, 60_000);
    expect(view.batch.stats).toMatchObject({ succeeded: DEVICES, undeliverable: 15 });
    const env = { FLOTILLA_API_URL: c.apiUrl, FLOTILLA_TOKEN: c.adminToken };
    const cli = async (...args: string[]): Promise<string> => {
      const r = await runCli(['batches', 'show', batchId, ...args], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout;
    };
    const groupLines = (text: string): string[] => text.split('\n').filter((l) => /  --group [nwd]-[0-9a-f]{32}$/.test(l));

    const byDigits = groupLines(await cli('--normalize', 'digits'));
    expect(byDigits).toHaveLength(3);
    expect(byDigits[0]).toMatch(/^15 {2}undeliverable {2}--group d-/);
    const a = byDigits.find((l) => / 3 {2}succeeded, exit 0: "version A at \d+" {2}--group d-/.test(l));
    const b = byDigits.find((l) => / 3 {2}succeeded, exit 0: "version B at \d+" {2}--group d-/.test(l));
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    // The default (white space) keeps every timestamp apart.
    expect(groupLines(await cli())).toHaveLength(1 + DEVICES);

    const namesIn = (text: string, names: string[]): string[] => names.filter((n) => new RegExp(`\\b${n}\\b`).test(text));
    const allNames = [...devices, ...offline].map((d) => d.name);
    const groupA = await cli('--group', a!.split('--group ')[1]!);
    expect(namesIn(groupA, allNames)).toEqual(devices.filter((_, i) => answerOf(i) === 'A').map((d) => d.name));
    const grepB = await cli('--grep', 'VERSION b');
    expect(namesIn(grepB, allNames)).toEqual(devices.filter((_, i) => answerOf(i) === 'B').map((d) => d.name));
    expect(namesIn(await cli('--devices'), allNames)).toEqual(allNames);
  });
});
