import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestHash } from '../../src/batches/request-hash';
import { storedWork } from '../../src/batches/stored-action';
import { insertBatch } from '../../src/db/queries/batches';
import { batchRequestSchema, resolveStrategy } from '../../src/domain/batch';
import { batches, executions } from '../../src/db/schema';
import { unseal } from '../../src/security/secrets';
import { SEARCH_ATTRIBUTES, WORKFLOW_TASK_QUEUE, batchWorkflowId } from '../../src/workflows/definitions';
import { addDevice, addGroup, command, startedInput, unique } from './batch-fixtures';
import { TEST_SECRET_KEY } from '../helpers/config';
import { startHarness, type Harness, type Loose } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FLOTILLA_MAX_TARGETS: '20' });
});
afterAll(async () => {
  await h.close();
});

async function createBatch(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: Loose; headers: Headers }> {
  return h.json('POST', '/v1/batches', body, headers);
}

describe('POST /v1/batches', () => {
  it('resolves targets: explicit ids in order, then group and tag devices by name, deduplicated, tags all-of', async () => {
    const tag = unique('role');
    const zulu = await addDevice(h, unique('zulu'));
    const mike = await addDevice(h, unique('mike'));
    const bravo = await addDevice(h, unique('bravo'), [tag, 'eu']);
    const alpha = await addDevice(h, unique('alpha'), [tag]);
    const charlie = await addDevice(h, unique('charlie'), [tag, 'eu']);
    const delta = await addDevice(h, unique('delta'));
    const group = await addGroup(h, [delta, zulu, bravo]);

    const res = await createBatch({
      targets: { deviceIds: [mike, zulu, mike], groupIds: [group], tags: [tag, 'eu'] },
      action: command('uptime'),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // mike, zulu explicit; then by name among group {delta, zulu, bravo} ∪ tags all-of {bravo, charlie}.
    expect(res.body.deviceIds).toEqual([mike, zulu, bravo, charlie, delta]);
    expect(res.body.targetCount).toBe(5);
    expect(res.body.workflowId).toBe(batchWorkflowId(res.body.batchId));
    expect(res.body.deviceIds).not.toContain(alpha);

    const rows = await h.db.handle.orm
      .select()
      .from(executions)
      .where(eq(executions.batchId, res.body.batchId))
      .orderBy(executions.seq);
    expect(rows.map((r) => [r.seq, r.deviceId, r.status])).toEqual(res.body.deviceIds.map((id: string, i: number) => [i, id, 'queued']));
  });

  it('stores the batch and starts its workflow with the right id, queue, input, search attributes and summary', async () => {
    const a = await addDevice(h, unique('wf'));
    const b = await addDevice(h, unique('wf'));
    const res = await createBatch({
      targets: { deviceIds: [a, b] },
      action: command('echo   hello\n  world', { timeoutSec: 12 }),
      strategy: { mode: 'parallel', concurrency: 5, maxFailures: 1 },
      deliveryTimeoutSec: 60,
      deadlineSec: 600,
    });
    expect(res.status).toBe(201);
    const { batchId, workflowId } = res.body;
    const [row] = await h.db.handle.orm.select().from(batches).where(eq(batches.id, batchId));
    expect(row).toMatchObject({ owner: 'admin', status: 'running', workflowId, targetCount: 2, deliveryTimeoutSec: 60, deadlineSec: 600 });
    expect(row?.requestHash).toMatch(/^[0-9a-f]{64}$/);

    const description = await h.client.workflow.getHandle(workflowId).describe();
    expect(description.type).toBe('batchWorkflow');
    expect(description.taskQueue).toBe(WORKFLOW_TASK_QUEUE);
    expect(description.status.name).toBe('RUNNING');
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.batchId)).toBe(batchId);
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.owner)).toBe('admin');
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status)).toBe('running');
    expect(await description.staticSummary()).toBe('echo hello world on 2 devices');
    expect(await startedInput(h, workflowId)).toEqual({
      batchId,
      owner: 'admin',
      targetCount: 2,
      strategy: { mode: 'parallel', concurrency: 2, maxFailures: 1 },
      deliveryTimeoutSec: 60,
      deadlineSec: 600,
      timeoutSec: 12,
      summary: 'echo hello world',
    });
  });

  it('resolves percentage strategies, stopOnFailure and sequential mode against the target count', async () => {
    const tag = unique('pct');
    for (let i = 0; i < 8; i += 1) await addDevice(h, unique(`p${i}`), [tag]);
    const cases: Array<[Record<string, unknown>, { mode: string; concurrency: number; maxFailures: number | null }, Record<string, unknown>]> = [
      [{ concurrency: '25%', maxFailures: '50%' }, { mode: 'parallel', concurrency: 2, maxFailures: 4 }, { concurrency: '25%', maxFailures: '50%' }],
      [{ concurrency: '10%' }, { mode: 'parallel', concurrency: 1, maxFailures: null }, { concurrency: '10%', maxFailures: null }],
      [{ concurrency: 3, stopOnFailure: true }, { mode: 'parallel', concurrency: 3, maxFailures: 0 }, { concurrency: 3, maxFailures: 0 }],
      [{ mode: 'sequential', concurrency: 50 }, { mode: 'sequential', concurrency: 1, maxFailures: null }, { concurrency: 1, maxFailures: null }],
      [{ concurrency: '100%', maxFailures: '12.5%' }, { mode: 'parallel', concurrency: 8, maxFailures: 1 }, { concurrency: '100%', maxFailures: '12.5%' }],
    ];
    for (const [strategy, resolved, requested] of cases) {
      const res = await createBatch({ targets: { tags: [tag] }, action: command(), strategy });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect((await startedInput(h, res.body.workflowId)).strategy).toEqual(resolved);
      const shown = await h.json('GET', `/v1/batches/${res.body.batchId}`);
      expect(shown.body.batch.strategy).toEqual({ ...resolved, requested });
    }
  });

  it('answers 400 unknown_targets naming unknown device and group ids, writing and starting nothing', async () => {
    const known = await addDevice(h, unique('known'));
    const ghostDevice = randomUUID();
    const ghostGroup = randomUUID();
    const before = await h.counts();
    const res = await createBatch({ targets: { deviceIds: [known, ghostDevice], groupIds: [ghostGroup] }, action: command() });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'unknown_targets',
      message: expect.any(String),
      details: { deviceIds: [ghostDevice], groupIds: [ghostGroup] },
    });
    expect(await h.counts()).toEqual(before);
  });

  it('answers 400 no_targets when the targets match nothing', async () => {
    const before = await h.counts();
    const emptyGroup = await addGroup(h, []);
    for (const targets of [{ tags: [unique('nobody-has-this')] }, { groupIds: [emptyGroup] }]) {
      const res = await createBatch({ targets, action: command() });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('no_targets');
    }
    expect(await h.counts()).toEqual(before);
  });

  it('answers 400 when the targets exceed the configured maximum', async () => {
    const tag = unique('many');
    for (let i = 0; i < 21; i += 1) await addDevice(h, unique(`m${i}`), [tag]);
    const before = await h.counts();
    const res = await createBatch({ targets: { tags: [tag] }, action: command() });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('too_many_targets');
    expect(await h.counts()).toEqual(before);
  });

  it('seals env values at rest and shows only their keys', async () => {
    const d = await addDevice(h, unique('env'));
    const res = await createBatch({ targets: { deviceIds: [d] }, action: command('echo $TOKEN', { env: { TOKEN: 's3cr3t-value', B: 'x' } }) });
    expect(res.status).toBe(201);
    const [row] = await h.db.handle.orm.select().from(batches).where(eq(batches.id, res.body.batchId));
    expect(JSON.stringify(row)).not.toContain('s3cr3t-value');
    const [step] = row?.steps ?? [];
    if (step?.type !== 'command') throw new Error('expected one command step');
    expect(step.envKeys).toEqual(['B', 'TOKEN']);
    expect(unseal(step.envSealed as string, TEST_SECRET_KEY)).toEqual({ TOKEN: 's3cr3t-value', B: 'x' });
    const shown = await h.json('GET', `/v1/batches/${res.body.batchId}`);
    expect(shown.body.batch.action).toEqual({ type: 'command', command: 'echo $TOKEN', shell: 'sh', timeoutSec: 30, env: { B: '***', TOKEN: '***' } });
    const history = JSON.stringify(await h.client.workflow.getHandle(res.body.workflowId).fetchHistory());
    expect(history).not.toContain('s3cr3t-value');
  });
});

describe('Idempotency-Key', () => {
  it('returns the same batch for the same key and body: one row, one workflow', async () => {
    const d = await addDevice(h, unique('idem'));
    const key = unique('key');
    const body = { targets: { deviceIds: [d] }, action: command('hostname') };
    const first = await createBatch(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    // Same meaning, keys in another order: still the same request.
    const second = await createBatch({ action: { timeoutSec: 30, shell: 'sh', command: 'hostname', type: 'command' }, targets: { deviceIds: [d] } }, { 'Idempotency-Key': key });
    expect(second.status).toBe(201);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await h.db.handle.orm.$count(batches, eq(batches.idempotencyKey, key))).toBe(1);
    const runs = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId = "${first.body.workflowId}"` })) runs.push(wf);
    expect(runs).toHaveLength(1);
  });

  it('starts the workflow on replay when a crash left the batch stored but not started', async () => {
    const d = await addDevice(h, unique('crash'));
    const key = unique('key');
    const body = { targets: { deviceIds: [d] }, action: command('id') };
    // The state a crash between the insert and the workflow start leaves: rows, no workflow.
    const request = batchRequestSchema.parse(body);
    const orphanId = randomUUID();
    await insertBatch(
      h.db.handle.orm,
      {
        id: orphanId,
        owner: 'admin',
        ...storedWork(request, undefined),
        strategy: resolveStrategy(request.strategy, 1, (a) => a),
        targets: request.targets,
        deliveryTimeoutSec: request.deliveryTimeoutSec,
        deadlineSec: null,
        workflowId: batchWorkflowId(orphanId),
        idempotencyKey: key,
        requestHash: requestHash(request, TEST_SECRET_KEY),
      },
      [{ id: d, name: 'crash' }],
      randomUUID,
    );
    await expect(h.client.workflow.getHandle(batchWorkflowId(orphanId)).describe()).rejects.toThrow(WorkflowNotFoundError);
    const replay = await createBatch(body, { 'Idempotency-Key': key });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(replay.body).toEqual({ batchId: orphanId, workflowId: batchWorkflowId(orphanId), targetCount: 1, deviceIds: [d] });
    const description = await h.client.workflow.getHandle(batchWorkflowId(orphanId)).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(await h.db.handle.orm.$count(batches, eq(batches.idempotencyKey, key))).toBe(1);
  });

  it('never starts a second run for a finished batch replayed by its key', async () => {
    const d = await addDevice(h, unique('done'));
    const key = unique('key');
    const body = { targets: { deviceIds: [d] }, action: command('true') };
    const first = await createBatch(body, { 'Idempotency-Key': key });
    await h.client.workflow.getHandle(first.body.workflowId).terminate('finished for the test');
    await h.db.handle.orm.update(batches).set({ status: 'succeeded' }).where(eq(batches.id, first.body.batchId));
    const replay = await createBatch(body, { 'Idempotency-Key': key });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect((await h.client.workflow.getHandle(first.body.workflowId).describe()).status.name).toBe('TERMINATED');
  });

  it('answers 409 idempotency_key_reused when the same key comes with another body', async () => {
    const d = await addDevice(h, unique('reuse'));
    const key = unique('key');
    expect((await createBatch({ targets: { deviceIds: [d] }, action: command('a') }, { 'Idempotency-Key': key })).status).toBe(201);
    const before = await h.counts();
    const res = await createBatch({ targets: { deviceIds: [d] }, action: command('b') }, { 'Idempotency-Key': key });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_key_reused');
    expect(await h.counts()).toEqual(before);
  });

  it('creates one batch for parallel duplicate requests', async () => {
    const ids = [await addDevice(h, unique('par')), await addDevice(h, unique('par'))];
    const key = unique('key');
    const body = { targets: { deviceIds: ids }, action: command('date') };
    const answers = await Promise.all(Array.from({ length: 8 }, () => createBatch(body, { 'Idempotency-Key': key })));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(new Set(answers.map((a) => a.body.batchId)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('Idempotent-Replayed') === null)).toHaveLength(1);
    expect(await h.db.handle.orm.$count(batches, eq(batches.idempotencyKey, key))).toBe(1);
    expect(await h.db.handle.orm.$count(executions, eq(executions.batchId, answers[0]?.body.batchId))).toBe(2);
  });

  it('refuses an Idempotency-Key longer than 200 characters', async () => {
    const d = await addDevice(h, unique('long'));
    const before = await h.counts();
    const res = await createBatch({ targets: { deviceIds: [d] }, action: command() }, { 'Idempotency-Key': 'k'.repeat(201) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(await h.counts()).toEqual(before);
  });
});

describe('reading, cancelling and deleting batches', () => {
  it('shows a batch with counts for every status and progress over final statuses', async () => {
    const ids = [];
    for (let i = 0; i < 4; i += 1) ids.push(await addDevice(h, unique('stat')));
    const { body } = await createBatch({ targets: { deviceIds: ids }, action: command() });
    await h.db.handle.orm.update(executions).set({ status: 'succeeded' }).where(eq(executions.deviceId, ids[0] as string));
    await h.db.handle.orm.update(executions).set({ status: 'failed' }).where(eq(executions.deviceId, ids[1] as string));
    await h.db.handle.orm.update(executions).set({ status: 'running' }).where(eq(executions.deviceId, ids[2] as string));
    const res = await h.json('GET', `/v1/batches/${body.batchId}`);
    expect(res.status).toBe(200);
    expect(res.body.progress).toBe(50);
    expect(res.body.batch).toMatchObject({
      id: body.batchId,
      status: 'running',
      targetCount: 4,
      action: { type: 'command', command: 'uptime', shell: 'sh', timeoutSec: 30 },
      startedAt: null,
      completedAt: null,
      stats: { queued: 1, delayed: 0, dispatched: 0, running: 1, succeeded: 1, failed: 1, timed_out: 0, cancelled: 0, undeliverable: 0, skipped: 0 },
    });
    expect((await h.json('GET', `/v1/batches/${randomUUID()}`)).status).toBe(404);
  });

  it('lists batches newest first with a status filter and cursor', async () => {
    const d = await addDevice(h, unique('list'));
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1) made.push((await createBatch({ targets: { deviceIds: [d] }, action: command(`echo ${i}`) })).body.batchId);
    await h.db.handle.orm.update(batches).set({ status: 'succeeded' }).where(eq(batches.id, made[1] as string));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Loose } = await h.json('GET', `/v1/batches?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((b: Loose) => b.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 3)).toEqual([...made].reverse());
    const succeeded = await h.json('GET', '/v1/batches?status=succeeded');
    expect(succeeded.body.items.map((b: Loose) => b.id)).toContain(made[1]);
    expect(succeeded.body.items.every((b: Loose) => b.status === 'succeeded')).toBe(true);
    expect(succeeded.body.items[0].stats.queued).toBe(1);
  });

  it('signals cancel to a running batch (202) and refuses a finished one (409)', async () => {
    const d = await addDevice(h, unique('cancel'));
    const { body } = await createBatch({ targets: { deviceIds: [d] }, action: command('sleep 100') });
    const res = await h.json('POST', `/v1/batches/${body.batchId}/cancel`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ batchId: body.batchId, status: 'cancelling' });
    const history = await h.client.workflow.getHandle(body.workflowId).fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signals.map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)).toEqual(['cancel']);

    await h.db.handle.orm.update(batches).set({ status: 'succeeded', completedAt: new Date() }).where(eq(batches.id, body.batchId));
    const again = await h.json('POST', `/v1/batches/${body.batchId}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('batch_finished');
    expect((await h.json('POST', `/v1/batches/${randomUUID()}/cancel`)).status).toBe(404);
  });

  it('refuses to delete a running batch (409) and deletes a finished one with its executions (204)', async () => {
    const d = await addDevice(h, unique('delete'));
    const { body } = await createBatch({ targets: { deviceIds: [d] }, action: command() });
    const running = await h.json('DELETE', `/v1/batches/${body.batchId}`);
    expect(running.status).toBe(409);
    expect(running.body.error.code).toBe('batch_running');
    await h.db.handle.orm.update(batches).set({ status: 'cancelled' }).where(eq(batches.id, body.batchId));
    expect((await h.call('DELETE', `/v1/batches/${body.batchId}`)).status).toBe(204);
    expect(await h.db.handle.orm.$count(executions, eq(executions.batchId, body.batchId))).toBe(0);
    expect((await h.json('GET', `/v1/batches/${body.batchId}`)).status).toBe(404);
    expect((await h.json('DELETE', `/v1/batches/${body.batchId}`)).status).toBe(404);
  });
});
