// The reconciler against real PostgreSQL and the real dev server: an orphaned batch gets its workflow,
// a terminated batch workflow gets its batch and devices ended.
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileBatches } from '../../src/jobs/batch-reconciler';
import { startBatchWorkflow } from '../../src/batches/start-workflow';
import { batches, executions } from '../../src/db/schema';
import { seedBatch, seedDevices } from '../helpers/batches';
import { startHarness, type Harness } from '../api/harness';
import type { TestDatabase } from '../helpers/database';

let h: Harness;
let tdb: TestDatabase;
let client: Client;

beforeAll(async () => {
  // A namespace of its own that no worker polls: started workflows stay running, as after a crash of every worker.
  h = await startHarness();
  tdb = h.db;
  client = h.client;
});

afterAll(async () => {
  await h?.close();
});

async function storedBatch() {
  const devs = await seedDevices(tdb.handle.orm, 3);
  const b = await seedBatch(tdb.handle.orm, devs, { command: 'true', strategy: { mode: 'parallel', concurrency: 3, maxFailures: null } });
  const [row] = await tdb.handle.orm.select().from(batches).where(eq(batches.id, b.batchId));
  return row!;
}

describe('reconcileBatches', () => {
  it('starts the workflow of a batch that was stored but never started, once', async () => {
    const row = await storedBatch();
    const first = await reconcileBatches(tdb.handle.orm, client, 0);
    expect(first.started).toContain(row.id);
    const desc = await client.workflow.getHandle(row.workflowId).describe();
    expect(desc.status.name).toBe('RUNNING');
    const second = await reconcileBatches(tdb.handle.orm, client, 0);
    expect(second.started).not.toContain(row.id);
    await client.workflow.getHandle(row.workflowId).terminate('test cleanup');
  });

  it('leaves young batches alone: they may still be starting', async () => {
    const row = await storedBatch();
    const report = await reconcileBatches(tdb.handle.orm, client, 60_000);
    expect(report.started).not.toContain(row.id);
  });

  it('ends a batch whose workflow was terminated, with every device in a final status', async () => {
    const row = await storedBatch();
    expect(await startBatchWorkflow(client, row)).toBe(true);
    await client.workflow.getHandle(row.workflowId).terminate('operator pressed terminate');
    const report = await reconcileBatches(tdb.handle.orm, client, 0);
    expect(report.ended).toContain(row.id);
    const [after] = await tdb.handle.orm.select().from(batches).where(eq(batches.id, row.id));
    expect(after?.status).toBe('cancelled');
    expect(after?.error).toMatch(/terminated/);
    const statuses = await tdb.handle.orm.select({ s: executions.status }).from(executions).where(eq(executions.batchId, row.id));
    expect(statuses.map((x) => x.s)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });
});
