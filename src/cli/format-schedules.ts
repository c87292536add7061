// Text for `flotilla schedules list|show`.
import type { RunJson, ScheduleJson } from '../api/schemas/schedule';
import { formatTable } from './format';

export function describeSpec(spec: Record<string, unknown>): string {
  const [kind, value] = Object.entries(spec)[0] ?? ['?', ''];
  if (typeof value === 'string') return `${kind} ${value}`;
  const v = value as { time?: string; days?: string[]; day?: number | string };
  if (kind === 'weekly') return `weekly ${(v.days ?? []).join(',')} ${v.time ?? ''}`;
  if (kind === 'monthly') return `monthly day ${String(v.day)} ${v.time ?? ''}`;
  return `${kind} ${v.time ?? ''}`;
}

export function formatSchedules(items: ScheduleJson[]): string {
  if (items.length === 0) return 'no schedules';
  return formatTable(
    ['NAME', 'ID', 'WHEN', 'TZ', 'STATE', 'NEXT RUN', 'RUNS', 'LAST'],
    items.map((s) => [
      s.name,
      s.id,
      describeSpec(s.spec),
      s.timezone,
      s.paused ? 'paused' : 'active',
      s.nextRunTimes[0] ?? '-',
      String(s.runCount),
      s.lastRun?.status ?? '-',
    ]),
  );
}

export function formatSchedule(s: ScheduleJson, runs: RunJson[]): string {
  const lines = [
    `schedule ${s.name} (${s.id})`,
    `when:      ${describeSpec(s.spec)} (${s.timezone}), overlap ${s.overlap}`,
    `state:     ${s.paused ? `paused${s.note ? `: ${s.note}` : ''}` : 'active'}`,
    `temporal:  ${s.temporalScheduleId}`,
    `next runs: ${s.nextRunTimes.length > 0 ? s.nextRunTimes.join(', ') : '-'}`,
    `runs:      ${s.runCount}`,
    '',
  ];
  if (runs.length === 0) return [...lines, 'no runs yet'].join('\n');
  const table = formatTable(
    ['WHEN', 'STATUS', 'BATCH', 'DEVICES', 'ERROR'],
    runs.map((r) => [r.createdAt, r.status, r.batchId ?? '-', r.targetCount === null ? '-' : String(r.targetCount), r.error ?? '']),
  );
  return [...lines, table].join('\n');
}
