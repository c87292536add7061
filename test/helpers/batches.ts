// Creates devices and batches straight in the database, for tests below the HTTP API.
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/client';
import { workflowInput } from '../../src/batches/workflow-input';
import { batches, devices, executions } from '../../src/db/schema';
import type { StoredStrategy } from '../../src/domain/batch';
import { hashToken, newToken } from '../../src/security/secrets';
import { batchWorkflowId, type BatchWorkflowInput } from '../../src/workflows/definitions';

export async function insertDevices(
  db: Database,
  count: number,
  opts: { online?: { gatewayId: string }; prefix?: string } = {},
): Promise<Array<{ id: string; name: string; token: string }>> {
  const prefix = opts.prefix ?? `dev-${randomUUID().slice(0, 8)}`;
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    name: `${prefix}-${String(i).padStart(5, '0')}`,
    token: newToken('fla'),
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(devices).values(
      rows.slice(i, i + 1000).map((r) => ({
        id: r.id,
        name: r.name,
        owner: 'admin',
        tokenHash: hashToken(r.token),
        online: opts.online !== undefined,
        gatewayId: opts.online?.gatewayId ?? null,
        lastSeenAt: opts.online ? new Date() : null,
      })),
    );
  }
  return rows;
}

export async function insertBatch(
  db: Database,
  deviceRows: Array<{ id: string; name: string }>,
  opts: { command: string; strategy: Omit<StoredStrategy, 'requested'>; timeoutSec?: number; deliveryTimeoutSec?: number; deadlineSec?: number },
): Promise<{ batchId: string; input: BatchWorkflowInput; executionIds: string[] }> {
  const batchId = randomUUID();
  const timeoutSec = opts.timeoutSec ?? 30;
  const [row] = await db.insert(batches).values({
    id: batchId,
    owner: 'admin',
    steps: [{ type: 'command', command: opts.command, shell: 'sh', timeoutSec }],
    stepMode: 'sequential',
    strategy: { ...opts.strategy, requested: { concurrency: opts.strategy.concurrency, maxFailures: opts.strategy.maxFailures } },
    targets: { deviceIds: deviceRows.map((d) => d.id) },
    targetCount: deviceRows.length,
    deliveryTimeoutSec: opts.deliveryTimeoutSec ?? 5,
    deadlineSec: opts.deadlineSec ?? null,
    workflowId: batchWorkflowId(batchId),
  }).returning();
  if (!row) throw new Error('batch insert returned nothing');
  const executionIds = deviceRows.map(() => randomUUID());
  for (let i = 0; i < deviceRows.length; i += 1000) {
    await db.insert(executions).values(
      deviceRows.slice(i, i + 1000).map((d, j) => ({
        id: executionIds[i + j] as string,
        batchId,
        deviceId: d.id,
        deviceName: d.name,
        seq: i + j,
      })),
    );
  }
  return { batchId, executionIds, input: { ...workflowInput(row), summary: opts.command } };
}
