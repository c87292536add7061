// Cancel, pause, resume (which also approves the waves after the first) and retry chosen statuses.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { describeError, post } from '../api';
import { ErrorNote } from '../components/notice';
import { statusLabel } from '../components/status';
import { go } from '../router';
import type { Batch } from '../types';

const RETRYABLE = ['failed', 'timed_out', 'undeliverable', 'cancelled', 'skipped', 'succeeded'] as const;
const FINAL = ['succeeded', 'partial', 'failed', 'stopped', 'cancelled'];

export function BatchControls({ batch }: { batch: Batch }): JSX.Element {
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [statuses, setStatuses] = useState<string[]>(['failed', 'timed_out', 'undeliverable']);
  const act = async (verb: 'cancel' | 'pause' | 'resume'): Promise<void> => {
    setError(undefined);
    if (verb === 'cancel' && !confirm('Cancel this batch? Running commands are cancelled and no more devices start.')) return;
    try {
      const res = await post<{ status: string }>(`/v1/batches/${batch.id}/${verb}`);
      setNote(`${statusLabel(res.status)}…`);
    } catch (err) {
      setError(describeError(err));
    }
  };
  const retry = async (): Promise<void> => {
    setError(undefined);
    try {
      const res = await post<{ batchId: string }>(`/v1/batches/${batch.id}/retry`, { statuses });
      go('batches', res.batchId);
    } catch (err) {
      setError(describeError(err));
    }
  };
  const final = FINAL.includes(batch.status);
  return (
    <div class="controls">
      {!final && (
        <>
          <button type="button" class="danger" onClick={() => void act('cancel')}>
            ⊘ Cancel
          </button>
          {batch.status === 'running' && (
            <button type="button" onClick={() => void act('pause')}>
              ‖ Pause
            </button>
          )}
          <button type="button" onClick={() => void act('resume')} title="Resume after a pause, or approve the waves after the first">
            ▶ {batch.status === 'paused' ? 'Resume' : 'Resume / approve'}
          </button>
        </>
      )}
      {final && (
        <fieldset class="retry">
          <legend>Retry devices that ended</legend>
          {RETRYABLE.map((s) => (
            <label key={s} class="check">
              <input
                type="checkbox"
                name="retry-status"
                value={s}
                checked={statuses.includes(s)}
                onChange={(e) => setStatuses(e.currentTarget.checked ? [...statuses, s] : statuses.filter((x) => x !== s))}
              />{' '}
              {statusLabel(s)} ({batch.stats[s] ?? 0})
            </label>
          ))}
          <button type="button" disabled={statuses.length === 0} onClick={() => void retry()}>
            ↻ Retry
          </button>
        </fieldset>
      )}
      {note && (
        <span class="note" role="status">
          {note}
        </span>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
