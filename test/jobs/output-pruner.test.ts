// Retention of live output: chunks of a batch that ended longer ago than the retention are deleted;
// its status changes, and the chunks of running or recent batches, stay.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendOutputEvents, pruneOutputEvents } from '../../src/db/queries/batch-events';
import { finishBatch } from '../../src/db/queries/execution-state';
import { batchEvents, batches } from '../../src/db/schema';
import { seedBatch, seedDevices } from '../helpers/batches';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.drop();
});

async function batchWithOutput(): Promise<string> {
  const devs = await seedDevices(t.handle.orm, 1);
  const b = await seedBatch(t.handle.orm, devs, { command: 'true', strategy: { mode: 'parallel', concurrency: 1, maxFailures: null } });
  await appendOutputEvents(t.handle.orm, [{ batchId: b.batchId, executionId: b.executionIds[0]!, deviceId: devs[0]!.id, deviceName: devs[0]!.name, stream: 'stdout', text: 'hi\n' }]);
  return b.batchId;
}

const typesOf = async (batchId: string): Promise<string[]> =>
  (await t.handle.orm.select({ type: batchEvents.type }).from(batchEvents).where(eq(batchEvents.batchId, batchId))).map((r) => r.type).sort();

describe('pruneOutputEvents', () => {
  it('drops only the output of batches finished before the cutoff', async () => {
    const old = await batchWithOutput();
    const recent = await batchWithOutput();
    const running = await batchWithOutput();
    for (const id of [old, recent]) await finishBatch(t.handle.orm, { batchId: id, leftover: 'skipped', reason: null, error: null });
    await t.handle.orm.update(batches).set({ completedAt: new Date(Date.now() - 2 * 3600_000) }).where(eq(batches.id, old));

    expect(await pruneOutputEvents(t.handle.orm, new Date(Date.now() - 3600_000))).toBe(1);
    expect(await typesOf(old)).toEqual(['batch', 'execution']);
    expect(await typesOf(recent)).toEqual(['batch', 'execution', 'output']);
    expect(await typesOf(running)).toEqual(['output']);
  });
});
