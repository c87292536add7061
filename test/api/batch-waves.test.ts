// Waves strategy validation and resolution, and the pause/resume routes, through the API (no worker:
// the workflows the API starts stay pending, which is enough to see what was started and signalled).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batches } from '../../src/db/schema';
import { pauseBatchSignal, resumeBatchSignal } from '../../src/workflows/definitions';
import { addDevice, command, startedInput, unique } from './batch-fixtures';
import { startHarness, type Harness } from './harness';

let h: Harness;
const ten: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < 10; i++) ten.push(await addDevice(h, unique(`wave-${i}`)));
});
afterAll(async () => {
  await h.close();
});

const waves = (strategy: Record<string, unknown>): Record<string, unknown> => ({
  targets: { deviceIds: ten },
  action: command('uptime'),
  strategy: { mode: 'waves', ...strategy },
});

describe('waves strategy', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['waves without waveSize', { mode: 'waves' }, 'body.strategy.waveSize'],
    ['waveSize 0', { waveSize: 0 }, 'body.strategy.waveSize'],
    ['waveSize over 100%', { waveSize: '120%' }, 'body.strategy.waveSize'],
    ['waveSize garbage', { waveSize: 'half' }, 'body.strategy.waveSize'],
    ['negative pauseBetweenWavesSec', { waveSize: 2, pauseBetweenWavesSec: -1 }, 'body.strategy.pauseBetweenWavesSec'],
    ['pauseBetweenWavesSec over 7 days', { waveSize: 2, pauseBetweenWavesSec: 8 * 24 * 3600 }, 'body.strategy.pauseBetweenWavesSec'],
    ['negative maxFailuresPerWave', { waveSize: 2, maxFailuresPerWave: -1 }, 'body.strategy.maxFailuresPerWave'],
    ['healthCheck without command', { waveSize: 2, healthCheck: { type: 'command' } }, 'body.strategy.healthCheck.command'],
    ['approveAfterFirstWave not boolean', { waveSize: 2, approveAfterFirstWave: 'yes' }, 'body.strategy.approveAfterFirstWave'],
    ['waveSize in parallel mode', { mode: 'parallel', waveSize: 2 }, 'body.strategy.waveSize'],
    ['healthCheck in sequential mode', { mode: 'sequential', healthCheck: command('true') }, 'body.strategy.healthCheck'],
  ];
  it.each(bad)('%s: 400 naming the field, nothing stored', async (_name, strategy, path) => {
    const before = await h.counts();
    const res = await h.json('POST', '/v1/batches', waves(strategy));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await h.counts()).toEqual(before);
  });

  it('resolves percentages (waveSize rounded up, maxFailuresPerWave of a wave rounded down) and seals the health check env', async () => {
    const res = await h.json(
      'POST',
      '/v1/batches',
      waves({ waveSize: '25%', maxFailuresPerWave: '50%', pauseBetweenWavesSec: 30, approveAfterFirstWave: true, healthCheck: command('curl -fs localhost', { env: { TOKEN: 'hush' } }) }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { batch } = (await h.json('GET', `/v1/batches/${res.body.batchId}`)).body;
    expect(batch.strategy).toMatchObject({
      mode: 'waves',
      concurrency: 3,
      waves: { size: 3, maxFailuresPerWave: 1, pauseBetweenSec: 30, approveAfterFirstWave: true, healthCheck: { command: 'curl -fs localhost', env: { TOKEN: '***' } } },
      requested: { waveSize: '25%', maxFailuresPerWave: '50%' },
    });
    const [row] = await h.db.handle.orm.select().from(batches).where(eq(batches.id, res.body.batchId));
    expect(JSON.stringify(row?.strategy)).not.toContain('hush');
    const input = await startedInput(h, res.body.workflowId);
    expect(input.strategy.waves).toEqual({ size: 3, pauseBetweenSec: 30, maxFailuresPerWave: 1, approveAfterFirstWave: true, healthCheck: true });
    expect(JSON.stringify(input)).not.toContain('curl');
  });
});

describe('pause and resume routes', () => {
  it('signal the batch workflow and answer 202', async () => {
    const created = await h.json('POST', '/v1/batches', { targets: { deviceIds: ten.slice(0, 2) }, action: command() });
    const id = created.body.batchId;
    const pause = await h.json('POST', `/v1/batches/${id}/pause`);
    expect(pause.status).toBe(202);
    expect(pause.body).toEqual({ batchId: id, status: 'pausing' });
    const resume = await h.json('POST', `/v1/batches/${id}/resume`);
    expect(resume.body).toEqual({ batchId: id, status: 'resuming' });
    const history = await h.client.workflow.getHandle(created.body.workflowId).fetchHistory();
    const signals = history.events?.flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []);
    expect(signals).toEqual([pauseBatchSignal.name, resumeBatchSignal.name]);
  });

  it('answer 409 for a finished batch and 404 for an unknown one, sending nothing', async () => {
    const created = await h.json('POST', '/v1/batches', { targets: { deviceIds: ten.slice(0, 1) }, action: command() });
    const id = created.body.batchId;
    await h.db.handle.orm.update(batches).set({ status: 'succeeded' }).where(eq(batches.id, id));
    for (const verb of ['pause', 'resume']) {
      const res = await h.json('POST', `/v1/batches/${id}/${verb}`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('batch_finished');
      expect((await h.json('POST', `/v1/batches/${crypto.randomUUID()}/${verb}`)).status).toBe(404);
    }
    const history = await h.client.workflow.getHandle(created.body.workflowId).fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionSignaledEventAttributes)).toBe(false);
  });

  it('a paused batch may still be cancelled and is not deleted', async () => {
    const created = await h.json('POST', '/v1/batches', { targets: { deviceIds: ten.slice(0, 1) }, action: command() });
    const id = created.body.batchId;
    await h.db.handle.orm.update(batches).set({ status: 'paused' }).where(eq(batches.id, id));
    expect((await h.json('GET', `/v1/batches?status=paused`)).body.items.map((b: { id: string }) => b.id)).toContain(id);
    expect((await h.json('POST', `/v1/batches/${id}/cancel`)).status).toBe(202);
    expect((await h.json('DELETE', `/v1/batches/${id}`)).status).toBe(409);
  });
});
