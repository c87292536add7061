// Devices and batches made straight in the database through the production queries (insertDevices,
// markDeviceOnline, insertBatch), for tests below the HTTP API.
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/client';
import { workflowInput } from '../../src/batches/workflow-input';
import { getBatch, insertBatch } from '../../src/db/queries/batches';
import { insertDevices } from '../../src/db/queries/devices';
import { markDeviceOnline } from '../../src/db/queries/presence';
import type { StoredStrategy } from '../../src/domain/batch';
import { hashToken, newToken } from '../../src/security/secrets';
import { batchWorkflowId, type BatchWorkflowInput } from '../../src/workflows/definitions';

const OWNER = 'admin';
const FACTS = { hostname: '', os: 'test', arch: 'x64', agentVersion: '0.0.0' };

/** `count` devices owned by admin named <prefix>-00000...; online on the given gateway when asked. */
export async function seedDevices(
  db: Database,
  count: number,
  opts: { online?: { gatewayId: string }; prefix?: string } = {},
): Promise<Array<{ id: string; name: string; token: string }>> {
  const prefix = opts.prefix ?? `dev-${randomUUID().slice(0, 8)}`;
  const rows = Array.from({ length: count }, (_, i) => {
    const token = newToken('fla');
    return { id: randomUUID(), name: `${prefix}-${String(i).padStart(5, '0')}`, token, tokenHash: hashToken(token) };
  });
  await insertDevices(
    db,
    rows.map((r) => ({ id: r.id, name: r.name, hostname: null, tags: [], owner: OWNER, tokenHash: r.tokenHash })),
  );
  if (opts.online) {
    for (const r of rows) {
      await markDeviceOnline(db, { deviceId: r.id, tokenHash: r.tokenHash, gatewayId: opts.online.gatewayId, sessionId: randomUUID(), facts: FACTS });
    }
  }
  return rows.map(({ id, name, token }) => ({ id, name, token }));
}

/** A running batch of one sh command over the devices (in that order), and the workflow input for it. */
export async function seedBatch(
  db: Database,
  deviceRows: Array<{ id: string; name: string }>,
  opts: { command: string; strategy: Omit<StoredStrategy, 'requested'>; timeoutSec?: number; deliveryTimeoutSec?: number; deadlineSec?: number },
): Promise<{ batchId: string; input: BatchWorkflowInput; executionIds: string[] }> {
  const batchId = randomUUID();
  const executionIds: string[] = [];
  await insertBatch(
    db,
    {
      id: batchId,
      owner: OWNER,
      steps: [{ type: 'command', command: opts.command, shell: 'sh', timeoutSec: opts.timeoutSec ?? 30 }],
      stepMode: 'sequential',
      strategy: { ...opts.strategy, requested: { concurrency: opts.strategy.concurrency, maxFailures: opts.strategy.maxFailures } },
      targets: { deviceIds: deviceRows.map((d) => d.id) },
      deliveryTimeoutSec: opts.deliveryTimeoutSec ?? 5,
      deadlineSec: opts.deadlineSec ?? null,
      workflowId: batchWorkflowId(batchId),
      idempotencyKey: null,
      requestHash: null,
    },
    deviceRows,
    () => {
      const id = randomUUID();
      executionIds.push(id);
      return id;
    },
  );
  const row = await getBatch(db, batchId, OWNER);
  if (!row) throw new Error(`batch ${batchId} not found after insert`);
  return { batchId, executionIds, input: { ...workflowInput(row), summary: opts.command } };
}
