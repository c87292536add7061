// What the gateway stores about a delivery, on PostgreSQL and on the embedded PGlite: an agent's result
// with its step results in one statement (whole, once, never over a final status), and the presence
// check that also reads what a delivery needs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client';
import { checkPresenceToDeliver, markDispatched, storeResult } from '../../src/db/queries/agent-results';
import { executions, executionSteps } from '../../src/db/schema';
import type { ResultMessage, StepResult } from '../../src/protocol/v1/messages';
import { seedBatch, seedDevices } from '../helpers/batches';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const AT = '2026-01-01T00:00:00.000Z';

function step(index: number, status: StepResult['status'], stdout: string): StepResult {
  return { index, status, exitCode: status === 'succeeded' ? 0 : 1, stdout, stderr: status === 'failed' ? 'boom\n' : '', truncated: false, startedAt: AT, completedAt: AT, error: null, bytes: null, sha256: null };
}

function result(executionId: string, steps: StepResult[] | undefined): ResultMessage {
  const failed = steps?.some((s) => s.status === 'failed');
  return {
    v: 1,
    id: executionId,
    type: 'result',
    executionId,
    status: failed ? 'failed' : 'succeeded',
    exitCode: failed ? 1 : 0,
    stdout: steps ? '' : 'plain',
    stderr: '',
    truncated: false,
    startedAt: AT,
    completedAt: AT,
    error: null,
    ...(steps ? { steps } : {}),
  };
}

describe.each([
  { name: 'PostgreSQL', kind: 'postgres' as const },
  { name: 'PGlite', kind: 'pglite' as const },
])('agent results on $name', ({ kind }) => {
  let handle: DatabaseHandle;
  let testDb: TestDatabase | undefined;

  beforeAll(async () => {
    if (kind === 'postgres') {
      testDb = await createTestDatabase();
      handle = testDb.handle;
    } else {
      handle = await openDatabase({ url: undefined, dataDir: mkdtempSync(path.join(tmpdir(), 'flotilla-results-')) });
    }
  });

  afterAll(async () => {
    if (testDb) await testDb.drop();
    else await handle?.close();
  });

  async function dispatchedExecution(): Promise<{ executionId: string; deviceId: string }> {
    const [device] = await seedDevices(handle.orm, 1, { online: { gatewayId: 'gw-r' } });
    const b = await seedBatch(handle.orm, [device!], { command: 'true', strategy: { mode: 'parallel', concurrency: 1, maxFailures: null } });
    await markDispatched(handle.orm, b.executionIds[0]!, 'gw-r');
    return { executionId: b.executionIds[0]!, deviceId: device!.id };
  }

  it('stores a result with its steps in one go, answers the outcome, and never stores it twice', async () => {
    const { executionId, deviceId } = await dispatchedExecution();
    const first = result(executionId, [step(0, 'failed', 'half done')]);
    expect(await storeResult(handle.orm, deviceId, first)).toEqual({ status: 'failed', exitCode: 1, error: 'boom' });
    const stepsStored = await handle.orm.select().from(executionSteps).where(eq(executionSteps.executionId, executionId));
    expect(stepsStored.map((s) => [s.idx, s.kind, s.status, s.stdout])).toEqual([[0, 'command', 'failed', 'half done']]);
    const [row] = await handle.orm.select().from(executions).where(eq(executions.id, executionId));
    // A lone step's output is also the execution's.
    expect([row?.status, row?.stdout]).toEqual(['failed', 'half done']);

    // Re-sent (the agent got no acknowledgement), or a different late result: nothing changes.
    expect(await storeResult(handle.orm, deviceId, first)).toBeNull();
    expect(await storeResult(handle.orm, deviceId, result(executionId, [step(0, 'succeeded', 'other')]))).toBeNull();
    const again = await handle.orm.select().from(executionSteps).where(eq(executionSteps.executionId, executionId));
    expect(again.map((s) => [s.status, s.stdout])).toEqual([['failed', 'half done']]);
  });

  it('stores nothing, steps included, for an execution not dispatched to that device', async () => {
    const { executionId } = await dispatchedExecution();
    const [stranger] = await seedDevices(handle.orm, 1);
    expect(await storeResult(handle.orm, stranger!.id, result(executionId, [step(0, 'succeeded', 'x')]))).toBeNull();
    expect(await handle.orm.select().from(executionSteps).where(eq(executionSteps.executionId, executionId))).toEqual([]);
    const [row] = await handle.orm.select().from(executions).where(eq(executions.id, executionId));
    expect(row?.status).toBe('dispatched');
  });

  it('stores a result without steps with one UPDATE', async () => {
    const { executionId, deviceId } = await dispatchedExecution();
    expect(await storeResult(handle.orm, deviceId, result(executionId, undefined))).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    const [row] = await handle.orm.select().from(executions).where(eq(executions.id, executionId));
    expect(row?.stdout).toBe('plain');
  });

  it('answers presence with what a delivery needs for a device online, and without it offline', async () => {
    const [online] = await seedDevices(handle.orm, 1, { online: { gatewayId: 'gw-p' } });
    const [offline] = await seedDevices(handle.orm, 1);
    const b = await seedBatch(handle.orm, [online!, offline!], { command: 'echo hi', strategy: { mode: 'parallel', concurrency: 2, maxFailures: null } });
    const [here, away] = b.executionIds;
    const found = await checkPresenceToDeliver(handle.orm, here!, 60_000);
    expect(found.presence).toEqual({ kind: 'online', gatewayId: 'gw-p', status: 'queued' });
    expect(found.delivery).toMatchObject({ status: 'queued', deviceId: online!.id, stepMode: 'sequential', steps: [{ type: 'command', command: 'echo hi' }] });
    expect(await checkPresenceToDeliver(handle.orm, away!, 60_000)).toEqual({ presence: { kind: 'offline', status: 'delayed' }, delivery: undefined });
  });
});
