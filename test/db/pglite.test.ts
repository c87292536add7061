// The embedded mode (no DATABASE_URL): PGlite in the data folder, migrated from the same drizzle/
// folder, running the same state transitions and NOTIFY the gateways rely on.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client';
import { insertBatch, TooManyRunningBatchesError } from '../../src/db/queries/batches';
import { deleteDevice, rotateDeviceToken } from '../../src/db/queries/devices';
import { checkPresence, finishBatch, finishExecution } from '../../src/db/queries/execution-state';
import { currentPosition, readBatchEvents } from '../../src/db/queries/batch-events';
import { batches } from '../../src/db/schema';
import { DEVICE_SESSION_CHANNEL, parseSessionNotice, type SessionNotice } from '../../src/db/session-notices';
import { BATCH_EVENTS_CHANNEL } from '../../src/domain/batch-events';
import { seedBatch, seedDevices } from '../helpers/batches';

let handle: DatabaseHandle;
const dataDir = mkdtempSync(path.join(tmpdir(), 'flotilla-pglite-'));

beforeAll(async () => {
  handle = await openDatabase({ url: undefined, dataDir });
});

afterAll(async () => {
  await handle?.close();
});

describe('embedded PGlite', () => {
  it('is migrated and runs the execution and batch transitions', async () => {
    expect(handle.kind).toBe('pglite');
    const online = await seedDevices(handle.orm, 1, { online: { gatewayId: 'gw-x' } });
    const offline = await seedDevices(handle.orm, 2);
    const b = await seedBatch(handle.orm, [...online, ...offline], {
      command: 'true',
      strategy: { mode: 'parallel', concurrency: 3, maxFailures: null },
    });
    const [onlineExec, offlineExec] = b.executionIds;
    expect(await checkPresence(handle.orm, onlineExec!, 60_000)).toEqual({ kind: 'online', gatewayId: 'gw-x', status: 'queued' });
    expect(await checkPresence(handle.orm, offlineExec!, 60_000)).toEqual({ kind: 'offline', status: 'delayed' });
    expect(await finishExecution(handle.orm, onlineExec!, 'succeeded', null)).toEqual({ status: 'succeeded', exitCode: null, error: null });
    // A final status is never overwritten.
    expect(await finishExecution(handle.orm, onlineExec!, 'failed', 'late')).toEqual({ status: 'succeeded', exitCode: null, error: null });
    const result = await finishBatch(handle.orm, { batchId: b.batchId, leftover: 'skipped', reason: null, error: null });
    expect(result).toEqual({ batchId: b.batchId, status: 'partial', counts: { succeeded: 1, skipped: 2 } });
    const [row] = await handle.orm.select().from(batches).where(eq(batches.id, b.batchId));
    expect(row?.status).toBe('partial');
  });

  it('logs every status change through the triggers and wakes listeners', async () => {
    const notices: string[] = [];
    const unlisten = await handle.listen(BATCH_EVENTS_CHANNEL, (p) => notices.push(p));
    const start = await currentPosition(handle.orm);
    const devs = await seedDevices(handle.orm, 2);
    const b = await seedBatch(handle.orm, devs, { command: 'true', strategy: { mode: 'parallel', concurrency: 2, maxFailures: null } });
    await finishExecution(handle.orm, b.executionIds[0]!, 'failed', 'boom');
    await finishBatch(handle.orm, { batchId: b.batchId, leftover: 'skipped', reason: null, error: null });
    const rows = await readBatchEvents(handle.orm, b.batchId, start, { limit: 100, output: false });
    expect(rows.map((r) => [r.type, r.data.from, r.data.to])).toEqual([
      ['execution', 'queued', 'failed'],
      ['execution', 'queued', 'skipped'],
      ['batch', 'running', 'failed'],
    ]);
    await expect.poll(() => notices).toContain(b.batchId);
    await unlisten();
  });

  it('delivers NOTIFY to listeners', async () => {
    const got: string[] = [];
    const unlisten = await handle.listen('flotilla_test', (p) => got.push(p));
    await handle.notify('flotilla_test', 'hello');
    await expect.poll(() => got).toEqual(['hello']);
    await unlisten();
  });

  it('sends revocation notices when a token is rotated or a device deleted, and counts running batches under a lock', async () => {
    const [a, b] = await seedDevices(handle.orm, 2);
    const got: SessionNotice[] = [];
    const unlisten = await handle.listen(DEVICE_SESSION_CHANNEL, (p) => got.push(parseSessionNotice(p)!));
    expect(await rotateDeviceToken(handle.orm, a!.id, 'ff'.repeat(32), undefined)).toBe(true);
    expect(await deleteDevice(handle.orm, b!.id, undefined)).toBe(true);
    await expect.poll(() => got).toEqual([
      { kind: 'revoked', deviceId: a!.id, reason: 'token_rotated' },
      { kind: 'revoked', deviceId: b!.id, reason: 'device_deleted' },
    ]);
    await unlisten();
    const batch = (id: string) => ({
      id,
      owner: 'limit-owner',
      steps: [{ type: 'command' as const, command: 'true', shell: 'sh' as const, timeoutSec: 5 }],
      stepMode: 'sequential' as const,
      strategy: { mode: 'parallel' as const, concurrency: 1, maxFailures: null, requested: { concurrency: 1, maxFailures: null } },
      targets: { deviceIds: [a!.id] },
      deliveryTimeoutSec: 5,
      deadlineSec: null,
      workflowId: `batch-${id}`,
      idempotencyKey: null,
      requestHash: 'x',
    });
    await insertBatch(handle.orm, batch(randomUUID()), [{ id: a!.id, name: a!.name }], randomUUID, 1);
    await expect(insertBatch(handle.orm, batch(randomUUID()), [{ id: a!.id, name: a!.name }], randomUUID, 1)).rejects.toBeInstanceOf(
      TooManyRunningBatchesError,
    );
  });
});
