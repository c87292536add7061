// What every fault test asserts after the fault: each device of the batch ends in exactly one final
// status, the agents' own journals show no execution started twice, and no batch is left non-final.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { batches } from '../../src/db/schema';
import { isFinalExecutionStatus } from '../../src/domain/status';
import { executionsOf, type Cluster, type Device, type ExecutionView } from './cluster';

/** Checks the three invariants for a finished batch; answers its executions for further checks. */
export async function expectFaultInvariants(c: Cluster, batchId: string, devices: Device[]): Promise<ExecutionView[]> {
  const execs = await executionsOf(c, batchId);
  expect(execs.map((e) => e.deviceId).sort()).toEqual(devices.map((d) => d.id).sort());
  for (const e of execs) expect(isFinalExecutionStatus(e.status), `${e.deviceName} ended ${e.status}`).toBe(true);
  expectEachExecutionStartedOnce(c, devices);
  const open = await c.db.handle.orm.select({ id: batches.id }).from(batches).where(eq(batches.status, 'running'));
  expect(open, 'batches left running').toEqual([]);
  return execs;
}

/** The agents' own journals, and their logs across restarts: no execution id was ever started twice on a device. */
export function expectEachExecutionStartedOnce(c: Cluster, devices: Device[]): void {
  for (const d of devices) {
    const journaled = c.agentStarts(d).map((l) => (JSON.parse(l) as { executionId: string }).executionId);
    expect(new Set(journaled).size, `${d.name}'s journal shows an execution started twice: ${journaled.join(', ')}`).toBe(journaled.length);
    const logged = c.agentLoggedStarts(d);
    expect(new Set(logged).size, `${d.name}'s agents logged an execution started twice: ${logged.join(', ')}`).toBe(logged.length);
  }
}

/** After the fault, a new batch on the whole fleet succeeds: every process serves again. */
export async function expectFleetServes(c: Cluster, tag: string, devices: Device[]): Promise<void> {
  const batchId = await c.startBatch({
    targets: { tags: [tag] },
    action: { type: 'command', command: 'echo again', shell: 'sh', timeoutSec: 30 },
    strategy: { concurrency: devices.length },
  });
  expect((await c.waitForBatch(batchId, 60_000)).batch.status).toBe('succeeded');
  const execs = await expectFaultInvariants(c, batchId, devices);
  expect(execs.every((e) => e.stdout === 'again\n')).toBe(true);
}
