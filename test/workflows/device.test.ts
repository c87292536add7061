// A device offline for its delivery window: its workflow waits on the gateway's wake-up signal and
// re-checks presence rarely, so its history stays short; a device that connects is delivered at once.
// Real Temporal dev server and PostgreSQL; the agent side is the scripted gateway activity, and the
// wake-up is the gateway's own wakeDeviceWorkflows (what it runs when an agent connects).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { wakeDeviceWorkflows } from '../../src/agent-gateway/wake';
import { markDeviceOnline } from '../../src/db/queries/presence';
import { createLogger } from '../../src/logger';
import { hashToken } from '../../src/security/secrets';
import { deviceWorkflowId } from '../../src/workflows/definitions';
import { startScriptedStack, type ScriptedStack } from '../helpers/scripted-stack';

let s: ScriptedStack;
const logger = createLogger('device-test', 'warn');
const oneAtATime = { mode: 'parallel', concurrency: 1, maxFailures: null } as const;

beforeAll(async () => {
  s = await startScriptedStack(inject('temporalAddress'), 'dev');
});

afterAll(async () => {
  await s?.stop();
});

describe('deviceWorkflow waiting for an offline device', () => {
  it('ends undeliverable after a whole window offline with a short history', async () => {
    const { handle, batchId, devs } = await s.run(1, 'ok', oneAtATime, { offline: true, deliveryTimeoutSec: 60 });
    await handle.result();
    expect(await s.statusesOf(batchId)).toEqual({ undeliverable: 1 });
    const history = await s.client.workflow.getHandle(deviceWorkflowId(batchId, devs[0]!.id)).fetchHistory();
    // A re-check every 5 s made about 80 events for this window.
    expect(history.events?.length).toBeLessThan(50);
    // The new waits replay (test/workflows/replay.test.ts replays the old ones).
    const workflowsPath = path.resolve(__dirname, '../../src/workflows/index.ts');
    await Worker.runReplayHistory({ workflowsPath, replayName: 'offline' }, history, 'offline');
  }, 120_000);

  it('delivers within about a second of the device connecting, not at the next re-check', async () => {
    const { handle, batchId, devs, executionIds } = await s.run(1, 'ok', oneAtATime, { offline: true, deliveryTimeoutSec: 120 });
    const dev = devs[0]!;
    // Past the first re-check (15 s): the next is 30 s later, so a prompt delivery is the signal's.
    await new Promise((r) => setTimeout(r, 20_000));
    expect(await s.statusesOf(batchId)).toEqual({ delayed: 1 });
    await markDeviceOnline(s.tdb.handle.orm, { deviceId: dev.id, tokenHash: hashToken(dev.token), gatewayId: s.gatewayId, sessionId: randomUUID(), facts: { hostname: '', os: 'test', arch: 'x64', agentVersion: '0.0.0' } });
    const connectedAt = Date.now();
    expect(await wakeDeviceWorkflows(s.tdb.handle.orm, s.client, dev.id, s.gatewayId, logger)).toBe(1);
    await handle.result();
    expect(await s.statusesOf(batchId)).toEqual({ succeeded: 1 });
    const span = s.spans.find((x) => x.executionId === executionIds[0]);
    expect(span!.start - connectedAt).toBeLessThan(1_500);
  }, 120_000);
});
