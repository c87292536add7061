// One batch, live: header (status, counts per status, progress, elapsed) from the event stream; the
// device table filtered by status and name, a page at a time (10,000 devices stay cheap: only one
// page is rendered); a device's output; controls, export and the workflow in the Temporal UI.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorNote } from '../components/notice';
import { Progress } from '../components/progress';
import { Status, statusLabel } from '../components/status';
import { TableHead } from '../components/table-head';
import { between, duration, plural, when } from '../format';
import { useConsole } from '../session';
import type { Batch, DeviceRow } from '../types';
import { BatchControls } from './batch-controls';
import { useBatchStream } from './batch-stream';
import { DeviceOutput } from './device-output';
import { OutcomeGroupsSection, useFilteredIds, type DeviceFilter } from './outcome-groups';

const ROWS = 100;
const EXECUTION_STATUSES = ['queued', 'delayed', 'dispatched', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'undeliverable', 'skipped'];

export function BatchPage({ id }: { id: string }): JSX.Element {
  const { canWrite, settings } = useConsole();
  const stream = useBatchStream(id);
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<string>();
  const [filter, setFilter] = useState<DeviceFilter>({});
  const picked = useFilteredIds(id, filter);
  const now = useClock(stream.head !== undefined && !stream.ended);
  const needle = q.trim().toLowerCase();
  const shown = useMemo(
    () =>
      stream.devices.filter(
        (d) => (!status || d.status === status) && (!needle || d.deviceName.toLowerCase().includes(needle)) && (!picked.ids || picked.ids.has(d.deviceId)),
      ),
    [stream.version, status, needle, picked.ids],
  );
  const pages = Math.max(1, Math.ceil(shown.length / ROWS));
  const current = Math.min(page, pages - 1);
  const rows = shown.slice(current * ROWS, current * ROWS + ROWS);
  const openRow = open === undefined ? undefined : stream.devices.find((d) => d.deviceId === open);
  if (!stream.head) {
    return (
      <section>
        <h1>Batch</h1>
        <ErrorNote error={stream.error} />
        <p class="loading">Loading batch…</p>
      </section>
    );
  }
  const { batch, progress } = stream.head;
  const temporalUrl = settings?.temporalUiUrl
    ? `${settings.temporalUiUrl}/namespaces/${encodeURIComponent(settings.namespace)}/workflows/${encodeURIComponent(batch.workflowId)}`
    : undefined;
  return (
    <section class="batch">
      <header class="batch-head">
        <h1>
          Batch <code>{batch.id.slice(0, 8)}</code> <Status status={batch.status} />
        </h1>
        <p class="what mono">{describeWork(batch)}</p>
        <Progress percent={progress} label="batch progress" />
        <p class="facts">
          {plural(batch.targetCount, 'device')} · {describeStrategy(batch)} · started {when(batch.startedAt ?? batch.createdAt)} · elapsed{' '}
          <span data-elapsed>{duration(between(batch.startedAt ?? batch.createdAt, batch.completedAt, now))}</span>
          {stream.connected ? ' · live' : stream.ended ? ' · final' : ''}
        </p>
        <Counts batch={batch} onPick={(s) => (setStatus(s), setPage(0))} />
        {batch.error && <p class="error">{batch.error}</p>}
        <ErrorNote error={stream.ended ? undefined : stream.error} />
        <nav class="links" aria-label="batch links">
          <a href={`/v1/batches/${batch.id}/export?format=csv`} download={`batch-${batch.id}.csv`}>
            Export CSV
          </a>
          <a href={`/v1/batches/${batch.id}/export?format=json`} download={`batch-${batch.id}.json`}>
            Export JSON
          </a>
          {temporalUrl && (
            <a href={temporalUrl} target="_blank" rel="noreferrer noopener">
              Workflow in the Temporal UI ↗
            </a>
          )}
          {batch.retryOf && <a href={`#/batches/${batch.retryOf}`}>retry of {batch.retryOf.slice(0, 8)}</a>}
          {batch.retries.map((r) => (
            <a key={r} href={`#/batches/${r}`}>
              retried as {r.slice(0, 8)}
            </a>
          ))}
        </nav>
        {canWrite && <BatchControls batch={batch} />}
      </header>
      <OutcomeGroupsSection
        batchId={batch.id}
        countsKey={`${batch.status} ${JSON.stringify(batch.stats)}`}
        filter={filter}
        onFilter={(f) => (setFilter(f), setPage(0))}
      />
      <ErrorNote error={picked.error} />
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Device <input type="search" name="device-q" value={q} onInput={(e) => (setQ(e.currentTarget.value), setPage(0))} />
        </label>
        <label>
          Status
          <select name="device-status" value={status} onChange={(e) => (setStatus(e.currentTarget.value), setPage(0))}>
            <option value="">any</option>
            {EXECUTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)} ({batch.stats[s as keyof Batch['stats']] ?? 0})
              </option>
            ))}
          </select>
        </label>
        <span role="status">
          {stream.partial ? `first ${plural(shown.length, 'device')} of ${batch.targetCount.toLocaleString()}, loading the rest…` : `${plural(shown.length, 'device')} shown`}
        </span>
      </form>
      <div class="split">
        <div class="table-wrap">
          <table class="executions">
            <TableHead columns={['#', 'Device', 'Status', 'Exit', 'Output']} />
            <tbody>
              {rows.map((d) => (
                <Row key={d.deviceId} d={d} open={d.deviceId === open} onOpen={() => setOpen(d.deviceId)} />
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="device pages">
            <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
              ← Previous
            </button>
            <span>
              page {current + 1} of {stream.partial ? '…' : pages}
            </span>
            <button type="button" disabled={stream.partial || current >= pages - 1} onClick={() => setPage(current + 1)}>
              Next →
            </button>
          </nav>
        </div>
        {openRow && <DeviceOutput batchId={batch.id} device={openRow} live={stream.output.get(openRow.deviceId)} onClose={() => setOpen(undefined)} />}
      </div>
    </section>
  );
}

function Row({ d, open, onOpen }: { d: DeviceRow; open: boolean; onOpen(): void }): JSX.Element {
  return (
    <tr data-device={d.deviceName} data-status={d.status} class={open ? 'open' : undefined}>
      <td>{d.seq + 1}</td>
      <td class="name">{d.deviceName}</td>
      <td>
        <Status status={d.status} />
      </td>
      <td>{d.exitCode ?? '—'}</td>
      <td>
        <button type="button" onClick={onOpen} aria-label={`Output of ${d.deviceName}`} aria-pressed={open}>
          Output
        </button>
      </td>
    </tr>
  );
}

function Counts({ batch, onPick }: { batch: Batch; onPick(status: string): void }): JSX.Element {
  const entries = Object.entries(batch.stats).filter(([, n]) => n > 0);
  return (
    <ul class="counts" aria-label="devices per status">
      {entries.map(([s, n]) => (
        <li key={s} data-count={s}>
          <button type="button" class="plain" onClick={() => onPick(s)} aria-label={`Show ${statusLabel(s)} devices`}>
            <Status status={s} /> <strong>{n.toLocaleString()}</strong>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function describeWork(b: Batch): string {
  const first = b.steps[0];
  const one = (a: typeof first): string => (!a ? '' : a.type === 'command' ? a.command : a.type === 'script' ? `${a.interpreter} script` : `push file to ${a.path}`);
  return b.steps.length === 1 ? one(first) : `${b.steps.length} steps (${b.stepMode}): ${b.steps.map(one).join('; ')}`;
}

export function describeStrategy(b: Batch): string {
  const s = b.strategy;
  const fails = s.maxFailures === null ? '' : s.maxFailures === 0 ? ', stop on failure' : `, stop after ${s.maxFailures} failures`;
  if (s.mode === 'waves' && s.waves) return `waves of ${s.waves.size}, ${s.waves.pauseBetweenSec} s apart${s.waves.approveAfterFirstWave ? ', approval after the first' : ''}${fails}`;
  if (s.mode === 'sequential') return `one at a time${fails}`;
  return `${s.concurrency} at a time${fails}`;
}

function useClock(running: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  return now;
}
