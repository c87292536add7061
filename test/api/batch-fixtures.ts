// Devices, groups and batch requests made through the API for the batch tests.
import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { expect } from 'vitest';
import type { BatchWorkflowInput } from '../../src/workflows/definitions';
import type { Harness } from './harness';

export const unique = (p: string): string => `${p}-${randomUUID().slice(0, 8)}`;

export async function addDevice(h: Harness, name: string, tags: string[] = []): Promise<string> {
  const res = await h.json('POST', '/v1/devices', { name, tags });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.device.id;
}

export async function addGroup(h: Harness, deviceIds: string[]): Promise<string> {
  const res = await h.json('POST', '/v1/groups', { name: unique('grp'), deviceIds });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.group.id;
}

export function command(cmd = 'uptime', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'command', command: cmd, shell: 'sh', timeoutSec: 30, ...extra };
}

/** The input the workflow was started with, read back from its first history event. */
export async function startedInput(h: Harness, workflowId: string): Promise<BatchWorkflowInput> {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`no input in the history of ${workflowId}`);
  return defaultPayloadConverter.fromPayload(payload);
}
