// Shared by the schedule API tests: a group to target and a valid schedule body to vary.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Harness } from './harness';

export const unique = (p: string): string => `${p}-${randomUUID().slice(0, 8)}`;

export async function newGroup(h: Harness): Promise<string> {
  const res = await h.json('POST', '/v1/groups', { name: unique('sched-group') });
  expect(res.status).toBe(201);
  return res.body.group.id as string;
}

export function scheduleBody(groupId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: unique('nightly'),
    spec: { daily: { time: '02:00' } },
    batch: { targets: { groupIds: [groupId] }, action: { type: 'command', command: 'uptime' } },
    ...extra,
  };
}

/** Temporal schedules in the harness's namespace (listing is eventually consistent: poll when it matters). */
export async function temporalScheduleIds(h: Harness): Promise<string[]> {
  const ids: string[] = [];
  for await (const s of h.client.schedule.list()) ids.push(s.scheduleId);
  return ids;
}
