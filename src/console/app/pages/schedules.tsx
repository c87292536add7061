// Schedules: the spec in words, timezone, next runs, last result and the paused note; create, edit,
// pause with a note, resume, trigger, delete; a schedule's runs.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { del, describeError, get, getPage, post } from '../api';
import { ErrorNote } from '../components/notice';
import { Pager, useCursorPager } from '../components/pager';
import { Status } from '../components/status';
import { TableHead } from '../components/table-head';
import { when } from '../format';
import { go, href } from '../router';
import { useConsole } from '../session';
import type { Schedule, ScheduleRun } from '../types';
import { useLoad } from '../use-load';
import { scheduleInWords } from '../../../domain/schedule-words';
import { ScheduleForm } from './schedule-form';

export function SchedulesPage(): JSX.Element {
  const { canWrite } = useConsole();
  const pager = useCursorPager();
  const list = useLoad(() => getPage<Schedule>('/v1/schedules', { limit: 50, cursor: pager.cursor }), [pager.cursor]);
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <div class="page-head">
        <h1>Schedules</h1>
        {canWrite && (
          <button type="button" onClick={() => setCreating(true)}>
            + New schedule
          </button>
        )}
      </div>
      <ErrorNote error={list.error} />
      <div class="table-wrap">
        <table class="schedules">
          <TableHead columns={['Name', 'When', 'Next runs (your time)', 'Last run', 'State']} />
          <tbody>
            {list.data?.items.map((s) => (
              <tr key={s.id} data-schedule={s.name}>
                <td>
                  <a href={href('schedules', s.id)}>{s.name}</a>
                </td>
                <td>
                  {scheduleInWords(s.spec)} <span class="small">({s.timezone})</span>
                </td>
                <td class="small">
                  <NextRuns times={s.nextRunTimes.slice(0, 3)} />
                </td>
                <td>{s.lastRun ? <Status status={s.lastRun.status} /> : 'none yet'}</td>
                <td>{s.paused ? <Paused note={s.note} /> : 'active'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data?.items.length === 0 && <p>No schedules yet.</p>}
      <Pager pager={pager} nextCursor={list.data?.nextCursor} />
      {creating && <ScheduleForm onClose={() => setCreating(false)} onSaved={(id) => (setCreating(false), go('schedules', id))} />}
    </section>
  );
}

function Paused({ note }: { note: string | null }): JSX.Element {
  return (
    <span class="status status-paused">
      <span aria-hidden="true">‖</span> paused{note ? `: ${note}` : ''}
    </span>
  );
}

function NextRuns({ times }: { times: string[] }): JSX.Element {
  if (times.length === 0) return <span>none</span>;
  return (
    <ul class="next-runs">
      {times.map((t) => (
        <li key={t}>{when(t)}</li>
      ))}
    </ul>
  );
}

export function SchedulePage({ id }: { id: string }): JSX.Element {
  const { canWrite } = useConsole();
  const one = useLoad(() => get<{ schedule: Schedule }>(`/v1/schedules/${id}`), [id]);
  const pager = useCursorPager();
  const runs = useLoad(() => getPage<ScheduleRun>(`/v1/schedules/${id}/runs`, { limit: 20, cursor: pager.cursor }), [id, pager.cursor]);
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const s = one.data?.schedule;
  const act = async (fn: () => Promise<unknown>): Promise<void> => {
    setError(undefined);
    try {
      await fn();
      one.reload();
      runs.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  if (!s) return one.error ? <ErrorNote error={one.error} /> : <p class="loading">Loading…</p>;
  return (
    <section>
      <div class="page-head">
        <h1>Schedule {s.name}</h1>
        {canWrite && (
          <>
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" onClick={() => void act(() => post(`/v1/schedules/${s.id}/trigger`))}>
              ▶ Run now
            </button>
            <button
              type="button"
              class="danger"
              onClick={() => void act(async () => {
                if (!confirm(`Delete schedule ${s.name}? The batches it started stay.`)) return;
                await del(`/v1/schedules/${s.id}`);
                go('schedules');
              })}
            >
              Delete
            </button>
          </>
        )}
      </div>
      <ErrorNote error={error} />
      <dl class="facts-list">
        <dt>When</dt>
        <dd data-spec>
          {scheduleInWords(s.spec)} ({s.timezone}), if still running: {s.overlap}
        </dd>
        <dt>State</dt>
        <dd>{s.paused ? <Paused note={s.note} /> : 'active'}</dd>
        <dt>Next runs (your time)</dt>
        <dd data-next-runs>
          <NextRuns times={s.nextRunTimes} />
        </dd>
        <dt>Runs</dt>
        <dd>
          {s.runCount} {s.lastRun && <>· last: <Status status={s.lastRun.status} /> {when(s.lastRun.createdAt)}</>}
        </dd>
      </dl>
      {canWrite &&
        (s.paused ? (
          <button type="button" onClick={() => void act(() => post(`/v1/schedules/${s.id}/resume`))}>
            ▶ Resume
          </button>
        ) : (
          <form class="inline-form" onSubmit={(e) => (e.preventDefault(), void act(() => post(`/v1/schedules/${s.id}/pause`, note ? { note } : {})))}>
            <label>
              Note <input name="pause-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} placeholder="why it is paused" />
            </label>
            <button type="submit">‖ Pause</button>
          </form>
        ))}
      <h2>Runs</h2>
      <ErrorNote error={runs.error} />
      <ul class="runs">
        {runs.data?.items.map((r) => (
          <li key={r.id}>
            <Status status={r.status} /> {when(r.createdAt)} {r.batchId ? <a href={href('batches', r.batchId)}>batch {r.batchId.slice(0, 8)}</a> : r.error}
            {r.targetCount !== null && ` · ${r.targetCount} devices`}
          </li>
        ))}
      </ul>
      <Pager pager={pager} nextCursor={runs.data?.nextCursor} />
      {editing && <ScheduleForm schedule={s} onClose={() => setEditing(false)} onSaved={() => (setEditing(false), one.reload())} />}
    </section>
  );
}
