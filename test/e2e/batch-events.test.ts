// GET /v1/batches/:id/events on real processes: agents run real commands while the stream is read.
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodePosition, encodePosition, positionAfter } from '../../src/db/queries/batch-events';
import { batchEvents } from '../../src/db/schema';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { openEventStream, type ParsedEvent } from '../helpers/sse';

let c: Cluster;
let devices: Device[];
const tag = `sse-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  c = await startCluster(inject('temporalAddress'));
  devices = [];
  for (let i = 0; i < 3; i++) devices.push(await c.addDevice(`${tag}-${i}`, [tag]));
  await Promise.all(devices.map((d) => c.startAgent(d)));
}, 180_000);

afterAll(async () => {
  await c?.stop();
});

const command = (cmd: string) => ({ type: 'command', command: cmd, shell: 'sh', timeoutSec: 30 });
const streamUrl = (batchId: string, query = ''): string => `${c.apiUrl}/v1/batches/${batchId}/events${query}`;

/** The batch's logged status changes (no output chunks) after a position, as the stream shows them. */
async function loggedAfter(batchId: string, after: string): Promise<string[]> {
  const from = decodePosition(after);
  const rows = await c.db.handle.orm
    .select()
    .from(batchEvents)
    .where(eq(batchEvents.batchId, batchId))
    .orderBy(asc(batchEvents.tx), asc(batchEvents.id));
  return rows
    .filter((r) => r.type !== 'output' && positionAfter({ tx: Number(r.tx), id: Number(r.id) }, from))
    .map((r) => `${encodePosition({ tx: Number(r.tx), id: Number(r.id) })} ${r.type} ${JSON.stringify({ ...r.data, at: r.createdAt.toISOString() })}`);
}

const logged = (events: ParsedEvent[]): string[] =>
  events.filter((e) => e.event === 'execution' || e.event === 'batch').map((e) => `${e.id} ${e.event} ${JSON.stringify(e.data)}`);

/**
 * Each device's statuses as the events tell them: every event starts where the previous one ended, and
 * the snapshot's status is one of them (it is read just after its position, so it may be a step ahead).
 */
function chains(events: ParsedEvent[]): Map<string, string[]> {
  const snapshot = events[0]!.data as { devices: Array<{ deviceId: string; status: string }> };
  const out = new Map<string, string[]>();
  for (const e of events.filter((x) => x.event === 'execution')) {
    const id = String(e.data.deviceId);
    const chain = out.get(id) ?? [String(e.data.from)];
    expect(e.data.from).toBe(chain[chain.length - 1]);
    chain.push(String(e.data.to));
    out.set(id, chain);
  }
  for (const d of snapshot.devices) expect(out.get(d.deviceId) ?? [d.status]).toContain(d.status);
  return out;
}

describe('GET /v1/batches/:id/events', () => {
  it('sends a snapshot, every device transition in log order, counts, then end, and closes', async () => {
    const batchId = await c.startBatch({ targets: { tags: [tag] }, action: command('sleep 0.3; echo done'), strategy: { mode: 'parallel', concurrency: 2 } });
    const s = openEventStream(streamUrl(batchId), c.adminToken);
    await s.done;
    const names = s.events.map((e) => e.event);
    expect(names[0]).toBe('snapshot');
    expect(names[names.length - 1]).toBe('end');
    expect(names).not.toContain('output');
    const snapshot = s.events[0]!.data as { batch: { id: string }; devices: Array<{ deviceName: string; seq: number }> };
    expect(snapshot.batch.id).toBe(batchId);
    expect(snapshot.devices.map((d) => d.seq)).toEqual([0, 1, 2]);
    // Exactly the log after the snapshot's position: nothing missing, nothing twice, in order.
    expect(logged(s.events)).toEqual(await loggedAfter(batchId, s.events[0]!.id));
    for (const [, chain] of chains(s.events)) expect(chain[chain.length - 1]).toBe('succeeded');
    for (const e of s.events.filter((x) => x.event === 'execution' && x.data.to === 'succeeded')) expect(e.data.exitCode).toBe(0);
    const batchChange = s.events.find((e) => e.event === 'batch');
    expect(batchChange?.data).toMatchObject({ from: 'running', to: 'succeeded' });
    const end = s.events[s.events.length - 1]!.data as { batch: { status: string; stats: Record<string, number> }; progress: number };
    expect(end.batch.status).toBe('succeeded');
    expect(end.batch.stats.succeeded).toBe(3);
    expect(end.progress).toBe(100);
    const counts = s.events.filter((e) => e.event === 'counts');
    expect(counts.length).toBeGreaterThan(0);
    expect((counts[counts.length - 1]!.data as { batch: { stats: Record<string, number> } }).batch.stats.succeeded).toBe(3);
    // Ids only move forward.
    const positions = s.events.map((e) => decodePosition(e.id));
    for (let i = 1; i < positions.length; i++) expect(positionAfter(positions[i - 1]!, positions[i]!)).toBe(false);
  });

  it('resumes after Last-Event-ID mid-batch with no gap and no duplicate, and no second snapshot', async () => {
    const batchId = await c.startBatch({ targets: { tags: [tag] }, action: command('sleep 0.7'), strategy: { mode: 'sequential' } });
    const first = openEventStream(streamUrl(batchId), c.adminToken);
    await first.waitForEvent('a device running', (e) => e.event === 'execution' && e.data.to === 'running');
    first.close();
    await first.done;
    const lastId = first.events[first.events.length - 1]!.id;
    // Changes happen while nobody listens.
    await new Promise((r) => setTimeout(r, 1_000));
    const second = openEventStream(streamUrl(batchId), c.adminToken, lastId);
    await second.done;
    expect(second.events.map((e) => e.event)).not.toContain('snapshot');
    expect(second.events[second.events.length - 1]!.event).toBe('end');
    const all = [...first.events, ...second.events];
    expect(logged(all)).toEqual(await loggedAfter(batchId, first.events[0]!.id));
    expect(logged(second.events).length).toBeGreaterThan(0);
    for (const [, chain] of chains(all)) expect(chain[chain.length - 1]).toBe('succeeded');
    // Resuming a finished batch at its end answers end at once.
    const again = openEventStream(streamUrl(batchId), c.adminToken, second.events[second.events.length - 1]!.id);
    await again.done;
    expect(again.events.map((e) => e.event)).toEqual(['end']);
  });

  it('?output=1 streams chunks of a command that prints over time, before its result', async () => {
    const batchId = await c.startBatch({
      targets: { deviceIds: [devices[0]!.id] },
      action: command('for i in 1 2 3; do echo line$i; sleep 0.5; done; echo oops >&2'),
    });
    const s = openEventStream(streamUrl(batchId, '?output=1'), c.adminToken);
    await s.done;
    const outputs = s.events.filter((e) => e.event === 'output');
    const stdout = outputs.filter((e) => e.data.stream === 'stdout');
    expect(stdout.length).toBeGreaterThanOrEqual(2);
    expect(stdout.map((e) => e.data.text).join('')).toBe('line1\nline2\nline3\n');
    expect(outputs.filter((e) => e.data.stream === 'stderr').map((e) => e.data.text).join('')).toBe('oops\n');
    for (const e of outputs) expect(e.data).toMatchObject({ deviceId: devices[0]!.id, deviceName: devices[0]!.name });
    const finished = s.events.findIndex((e) => e.event === 'execution' && e.data.to === 'succeeded');
    const lastOutput = s.events.findLastIndex((e) => e.event === 'output');
    expect(finished).toBeGreaterThan(lastOutput);
    // The first line arrived while the command was still running.
    const firstOutputAt = Date.parse(String(stdout[0]!.data.at));
    const endedAt = Date.parse(String(s.events[finished]!.data.at));
    expect(endedAt - firstOutputAt).toBeGreaterThan(500);
  });

  it('answers 404 for an unknown batch, 400 for a bad Last-Event-ID, 401 without a token', async () => {
    const unknown = await fetch(streamUrl(randomUUID()), { headers: { authorization: `Bearer ${c.adminToken}` } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const batchId = await c.startBatch({ targets: { deviceIds: [devices[1]!.id] }, action: command('true') });
    const bad = await fetch(streamUrl(batchId), { headers: { authorization: `Bearer ${c.adminToken}`, 'last-event-id': 'nope' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_cursor' } });
    expect((await fetch(streamUrl(batchId))).status).toBe(401);
  });
});
