// The all-in-one's delivery without an activity task: its workflow worker hands commands to the gateway of
// its own process inside the local activity that checks presence (checkAndDeliverHere). Real agents run
// real shell commands; each command appends a line to a file, so the files count the runs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BRIEF_DELIVERY_MS, deviceWorkflowId } from '../../src/workflows/definitions';
import { startCliStack, type CliStack } from '../cli/cli-stack';
import { waitFor } from '../helpers/ports';

let s: CliStack;
let dir: string;

beforeAll(async () => {
  s = await startCliStack(inject('temporalAddress'), 'localdelivery');
  dir = mkdtempSync(path.join(tmpdir(), 'flotilla-local-delivery-'));
}, 120_000);

afterAll(async () => {
  await s?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Execution {
  deviceId: string;
  status: string;
  stdout: string;
}

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${s.stack.apiUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${s.stack.adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function startBatch(command: string): Promise<string> {
  const { batchId } = await api<{ batchId: string }>('POST', '/v1/batches', {
    targets: { deviceIds: s.stack.demoDeviceIds },
    action: { type: 'command', command, shell: 'sh', timeoutSec: 60 },
  });
  return batchId;
}

async function finished(batchId: string): Promise<{ status: string; executions: Execution[] }> {
  let status = 'running';
  await waitFor(
    `batch ${batchId} finished`,
    async () => {
      status = (await api<{ batch: { status: string } }>('GET', `/v1/batches/${batchId}`)).batch.status;
      return !['queued', 'running', 'paused'].includes(status);
    },
    60_000,
  );
  const { items } = await api<{ items: Execution[] }>('GET', `/v1/batches/${batchId}/executions?limit=10`);
  return { status, executions: items };
}

const runs = (file: string): number => {
  try {
    return readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

/** The device workflow's history, by event type. */
async function eventTypes(batchId: string, deviceId: string): Promise<string[]> {
  const history = await s.stack.client.workflow.getHandle(deviceWorkflowId(batchId, deviceId)).fetchHistory();
  return (history.events ?? []).map((e) => temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? 'unknown');
}

describe('delivery inside the worker of the gateway holding the socket', () => {
  it('runs a quick command with no activity task, once per device', async () => {
    const batchId = await startBatch(`echo hello; echo run >> ${dir}/quick`);
    const { status, executions } = await finished(batchId);
    expect(status).toBe('succeeded');
    expect(executions.map((e) => [e.status, e.stdout.trim()])).toEqual([
      ['succeeded', 'hello'],
      ['succeeded', 'hello'],
    ]);
    expect(runs('quick')).toBe(2);
    for (const deviceId of s.stack.demoDeviceIds) {
      const types = await eventTypes(batchId, deviceId);
      expect(types).not.toContain('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
      expect(types).toContain('EVENT_TYPE_MARKER_RECORDED');
      expect(types.at(-1)).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    }
  });

  it('follows a command still running after the brief wait with one activity, without running it again', async () => {
    const seconds = Math.ceil(BRIEF_DELIVERY_MS / 1000) + 2;
    const batchId = await startBatch(`sleep ${seconds}; echo run >> ${dir}/slow; echo done`);
    const { status, executions } = await finished(batchId);
    expect(status).toBe('succeeded');
    expect(executions.map((e) => e.stdout.trim())).toEqual(['done', 'done']);
    expect(runs('slow')).toBe(2);
    for (const deviceId of s.stack.demoDeviceIds) {
      const types = await eventTypes(batchId, deviceId);
      expect(types.filter((t) => t === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')).toHaveLength(1);
    }
  }, 60_000);

  it('a cancel during the brief wait makes the agents kill the command', async () => {
    // Long enough that a cancel reaching the agent after the brief wait and a workflow task still kills it.
    const seconds = Math.ceil(BRIEF_DELIVERY_MS / 1000) + 4;
    const batchId = await startBatch(`sleep ${seconds}; echo run >> ${dir}/cancelled`);
    await waitFor(
      'both commands running',
      async () => (await api<{ items: Execution[] }>('GET', `/v1/batches/${batchId}/executions?limit=10`)).items.every((e) => e.status === 'running'),
      15_000,
      50,
    );
    await api('POST', `/v1/batches/${batchId}/cancel`, { reason: 'test' });
    const { status, executions } = await finished(batchId);
    expect(status).toBe('cancelled');
    expect(executions.map((e) => e.status)).toEqual(['cancelled', 'cancelled']);
    // Past the time the commands would have taken: they were killed, not left running.
    await new Promise((r) => setTimeout(r, seconds * 1000));
    expect(runs('cancelled')).toBe(0);
  }, 60_000);
});
