// Pure text formatting for the CLI's tables and summaries.
import { EXECUTION_STATUSES, FINAL_EXECUTION_STATUSES } from '../domain/status';
import { describeWork } from '../domain/work';
import type { BatchJson, ExecutionJson } from '../api/schemas/batch';
import type { DeviceJson } from '../api/schemas/device';
import type { FileJson } from '../api/schemas/file';
import type { GroupJson } from '../api/schemas/group';
import type { StepResultJson } from '../api/schemas/step';
import type { TokenJson, UserJson } from '../api/schemas/user';
import type { ExecutionEventData, StreamedEventData } from '../domain/batch-events';
import type { OutcomeGroupsJson } from '../api/schemas/outcome';

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** The first non-empty line of text, cut to max characters. */
export function firstLine(text: string | null | undefined, max = 60): string {
  const line = (text ?? '').split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** What a device's one-line summary shows: the error, else stdout, else stderr. */
export function executionNote(e: Pick<ExecutionJson | StepResultJson, 'error' | 'stdout' | 'stderr'>): string {
  return firstLine(e.error) || firstLine(e.stdout) || firstLine(e.stderr);
}

export function formatExecutions(items: ExecutionJson[]): string {
  return formatTable(
    ['DEVICE', 'STATUS', 'EXIT', 'DURATION', 'OUTPUT'],
    items.map((e) => [e.deviceName, e.status, e.exitCode === null ? '-' : String(e.exitCode), formatDuration(e.durationMs), executionNote(e)]),
  );
}

/** One row per step of each device: "demo-1  2  command  failed  3  12ms  oops". */
export function formatSteps(items: ExecutionJson[]): string {
  return formatTable(
    ['DEVICE', 'STEP', 'TYPE', 'STATUS', 'EXIT', 'DURATION', 'OUTPUT'],
    items.flatMap((e) =>
      e.steps.map((s) => [
        e.deviceName,
        String(s.index + 1),
        s.type,
        s.status,
        s.exitCode === null ? '-' : String(s.exitCode),
        formatDuration(s.durationMs),
        s.sha256 ? `sha256 ${s.sha256.slice(0, 12)}… ${s.bytes ?? 0} bytes` : executionNote(s),
      ]),
    ),
  );
}

/** The per-device table and, when a batch has several steps, the per-step table under it. */
export function formatResults(items: ExecutionJson[]): string {
  const devices = formatExecutions(items);
  return items.some((e) => e.steps.length > 1) ? `${devices}\n\n${formatSteps(items)}` : devices;
}

/** "succeeded 3, failed 1" in the order of EXECUTION_STATUSES, zero counts left out. */
export function formatCounts(stats: Partial<Record<string, number>>): string {
  const parts = EXECUTION_STATUSES.filter((s) => (stats[s] ?? 0) > 0).map((s) => `${s} ${stats[s]}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function formatBatchHeader(b: BatchJson, progress: number): string {
  return [
    `batch     ${b.id}`,
    `status    ${b.status} (${progress}% done)`,
    `work      ${describeWork(b)}${b.steps.length > 1 ? ` (${b.stepMode})` : ''}`,
    `targets   ${b.targetCount}`,
    `devices   ${formatCounts(b.stats)}`,
    `created   ${b.createdAt}${b.completedAt ? `   completed ${b.completedAt}` : ''}`,
  ].join('\n');
}

export function formatBatches(items: BatchJson[]): string {
  return formatTable(
    ['ID', 'STATUS', 'TARGETS', 'CREATED', 'WORK'],
    items.map((b) => [b.id, b.status, String(b.targetCount), b.createdAt, describeWork(b, 50)]),
  );
}

export function formatDevices(items: DeviceJson[]): string {
  return formatTable(
    ['ID', 'NAME', 'STATUS', 'HOSTNAME', 'TAGS', 'LAST SEEN'],
    items.map((d) => [d.id, d.name, d.status, d.hostname ?? '-', d.tags.join(',') || '-', d.lastSeenAt ?? '-']),
  );
}

export function formatGroups(items: GroupJson[]): string {
  return formatTable(
    ['ID', 'NAME', 'CREATED'],
    items.map((g) => [g.id, g.name, g.createdAt]),
  );
}

export function formatUsers(items: UserJson[]): string {
  return formatTable(
    ['ID', 'NAME', 'ROLE', 'CREATED'],
    items.map((u) => [u.id, u.name, u.disabled ? `${u.role} (disabled)` : u.role, u.createdAt]),
  );
}

export function formatTokens(items: TokenJson[]): string {
  return formatTable(
    ['ID', 'NAME', 'CREATED', 'LAST USED', 'REVOKED'],
    items.map((t) => [t.id, t.name, t.createdAt, t.lastUsedAt ?? '-', t.revokedAt ?? '-']),
  );
}

export function formatFiles(items: FileJson[]): string {
  return formatTable(
    ['ID', 'NAME', 'SIZE', 'SHA256', 'CREATED'],
    items.map((f) => [f.id, f.name, String(f.size), f.sha256, f.createdAt]),
  );
}

/** Count of executions in a final status, from a batch's stats. */
export function finishedCount(stats: Partial<Record<string, number>>): number {
  return FINAL_EXECUTION_STATUSES.reduce((n, s) => n + (stats[s] ?? 0), 0);
}

/** "10:00:01.250  web-1  running -> succeeded (exit 0)": one device change from the event stream. */
export function formatChange(c: StreamedEventData<ExecutionEventData>): string {
  const time = c.at.slice(11, 23);
  return `${time}  ${c.deviceName}  ${c.from} -> ${c.to}${c.exitCode === null ? '' : ` (exit ${c.exitCode})`}`;
}

/**
 * One line per outcome group, largest first: `9,950  succeeded, exit 0: "ok"  --group w-…`; the key is
 * what `flotilla batches show ID --group KEY` takes to list the group's devices.
 */
export function formatOutcomeGroups(page: OutcomeGroupsJson): string {
  const width = Math.max(...page.items.map((g) => g.count.toLocaleString('en-US').length), 1);
  const lines = page.items.map((g) => {
    const exit = g.exitCode === null ? '' : `, exit ${g.exitCode}`;
    const sample = firstLine(g.stdoutSample) || firstLine(g.stderrSample);
    const text = sample ? `: "${sample}"` : '';
    return `${g.count.toLocaleString('en-US').padStart(width)}  ${g.status}${exit}${text}${g.truncated ? ' (output truncated)' : ''}  --group ${g.key}`;
  });
  const shown = page.items.length;
  if (page.distinct > shown) lines.push(`… ${page.distinct - shown} more groups (--devices lists every device)`);
  return lines.join('\n');
}
