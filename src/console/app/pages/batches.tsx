// Batches, newest first: status, progress, counts, owner, start and duration; a row expands to its
// devices, loaded only then.
import type { JSX } from 'preact';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { getPage } from '../api';
import { ErrorNote } from '../components/notice';
import { Pager, useCursorPager } from '../components/pager';
import { Progress } from '../components/progress';
import { Status, statusLabel } from '../components/status';
import { between, duration, when } from '../format';
import { href } from '../router';
import { useConsole } from '../session';
import type { Batch, Execution } from '../types';
import { useLoad } from '../use-load';
import { describeWork } from './batch';

const BATCH_STATUSES = ['running', 'paused', 'succeeded', 'partial', 'failed', 'stopped', 'cancelled'];
const FINAL_EXEC = ['succeeded', 'failed', 'timed_out', 'cancelled', 'undeliverable', 'skipped'] as const;

export function progressOf(b: Batch): number {
  if (b.targetCount === 0) return 100;
  const done = FINAL_EXEC.reduce((n, s) => n + (b.stats[s] ?? 0), 0);
  return Math.floor((done / b.targetCount) * 1000) / 10;
}

export function BatchesPage(): JSX.Element {
  const { session } = useConsole();
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<string>();
  const pager = useCursorPager();
  const batches = useLoad(() => getPage<Batch>('/v1/batches', { status, limit: 25, cursor: pager.cursor }), [status, pager.cursor]);
  return (
    <section>
      <div class="page-head">
        <h1>Batches</h1>
        <button type="button" onClick={batches.reload}>
          ↻ Refresh
        </button>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select name="batch-status" value={status} onChange={(e) => (setStatus(e.currentTarget.value), pager.reset())}>
            <option value="">any</option>
            {BATCH_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorNote error={batches.error} />
      <div class="table-wrap">
        <table class="batches">
          <thead>
            <tr>
              <th scope="col">
                <span class="sr-only">Expand</span>
              </th>
              <th scope="col">Batch</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Counts</th>
              <th scope="col">Owner</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {batches.data?.items.map((b) => (
              <Fragment key={b.id}>
                <tr data-batch={b.id}>
                  <td>
                    <button type="button" class="plain" aria-expanded={open === b.id} aria-label={`Devices of batch ${b.id.slice(0, 8)}`} onClick={() => setOpen(open === b.id ? undefined : b.id)}>
                      {open === b.id ? '▾' : '▸'}
                    </button>
                  </td>
                  <td>
                    <a href={href('batches', b.id)}>
                      <code>{b.id.slice(0, 8)}</code>
                    </a>{' '}
                    <span class="mono what">{describeWork(b)}</span>
                  </td>
                  <td>
                    <Status status={b.status} />
                  </td>
                  <td>
                    <Progress percent={progressOf(b)} />
                  </td>
                  <td class="small">
                    {Object.entries(b.stats)
                      .filter(([, n]) => n > 0)
                      .map(([s, n]) => `${n} ${statusLabel(s)}`)
                      .join(', ')}
                  </td>
                  <td>{b.owner === undefined || b.owner === session.principal.id ? 'you' : b.owner}</td>
                  <td>{when(b.startedAt ?? b.createdAt)}</td>
                  <td>{duration(between(b.startedAt ?? b.createdAt, b.completedAt))}</td>
                </tr>
                {open === b.id && (
                  <tr class="expanded">
                    <td colSpan={8}>
                      <BatchDevices id={b.id} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <Pager pager={pager} nextCursor={batches.data?.nextCursor} />
    </section>
  );
}

function BatchDevices({ id }: { id: string }): JSX.Element {
  const pager = useCursorPager();
  const list = useLoad(() => getPage<Execution>(`/v1/batches/${id}/executions`, { limit: 20, cursor: pager.cursor }), [id, pager.cursor]);
  if (list.error) return <ErrorNote error={list.error} />;
  if (!list.data) return <p class="loading">Loading devices…</p>;
  return (
    <div>
      <ul class="exec-list">
        {list.data.items.map((e) => (
          <li key={e.deviceId}>
            <Status status={e.status} /> {e.deviceName} {e.exitCode !== null && `(exit ${e.exitCode})`}
          </li>
        ))}
      </ul>
      <Pager pager={pager} nextCursor={list.data.nextCursor} />
    </div>
  );
}
