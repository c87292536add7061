// What an operator finds in the Temporal UI: every device child carries FlotillaDeviceName from its start
// and FlotillaStatus when it ends, so `FlotillaBatchId="X" AND FlotillaStatus="failed"` lists exactly the
// failed devices of a batch; each child's result carries the short error; the batch's details read as text.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SEARCH_ATTRIBUTES, deviceWorkflowId, progressQuery, type DeviceOutcome } from '../../src/workflows/definitions';
import { startScriptedStack, type ScriptedStack } from '../helpers/scripted-stack';

let s: ScriptedStack;

beforeAll(async () => {
  s = await startScriptedStack(inject('temporalAddress'), 'attrs');
});

afterAll(async () => {
  await s?.stop();
});

async function listIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of s.client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids.sort();
}

describe('device workflows in the Temporal UI', () => {
  it('lists exactly the failed devices of a batch by FlotillaBatchId and FlotillaStatus', async () => {
    const { handle, batchId, devs } = await s.run(5, (names) => `ok failOn ${names[1]},${names[3]}`, { mode: 'parallel', concurrency: 5, maxFailures: null });
    const result = await handle.result();
    expect(result.status).toBe('partial');
    const failed = [devs[1]!, devs[3]!];
    const failedIds = failed.map((d) => deviceWorkflowId(batchId, d.id)).sort();

    // Visibility is eventually consistent.
    await expect
      .poll(() => listIds(`FlotillaBatchId="${batchId}" AND FlotillaStatus="failed"`), { timeout: 30_000, interval: 500 })
      .toEqual(failedIds);
    await expect.poll(async () => (await listIds(`FlotillaBatchId="${batchId}" AND FlotillaStatus="succeeded"`)).length, { timeout: 30_000, interval: 500 }).toBe(3);
    expect(await listIds(`FlotillaDeviceName="${failed[0]!.name}"`)).toEqual([failedIds.find((id) => id.endsWith(failed[0]!.id))]);

    const child = s.client.workflow.getHandle(deviceWorkflowId(batchId, failed[0]!.id));
    const desc = await child.describe();
    expect(desc.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status)).toBe('failed');
    expect(desc.typedSearchAttributes.get(SEARCH_ATTRIBUTES.deviceName)).toBe(failed[0]!.name);
    const outcome = (await child.result()) as DeviceOutcome;
    expect(outcome).toEqual({ status: 'failed', exitCode: 1, error: `${failed[0]!.name}: disk full` });
    const ok = (await s.client.workflow.getHandle(deviceWorkflowId(batchId, devs[0]!.id)).result()) as DeviceOutcome;
    expect(ok).toEqual({ status: 'succeeded', exitCode: 0, error: null });
  }, 120_000);

  it('shows running devices in the batch details while they run, and the result in words at the end', async () => {
    const { handle, batchId } = await s.run(3, 'sleep 3000', { mode: 'parallel', concurrency: 2, maxFailures: null });
    await expect.poll(async () => (await handle.query(progressQuery)).inFlight, { timeout: 15_000 }).toBe(2);
    const running = await handle.query('__temporal_workflow_metadata');
    expect(JSON.stringify(running)).toContain('2 running');
    await handle.result();
    const meta = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    expect(meta.currentDetails).toContain('**succeeded**: 3 succeeded of 3 (100%)');
    expect(meta.currentDetails).toContain(`flotilla batches show ${batchId}`);
  }, 120_000);
});
