// One device's result in a batch: exit code, stdout and stderr (with the truncated flag), per step,
// loaded when opened; while it runs, the live output preview from the stream, then the stored result.
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { get } from '../api';
import { ErrorNote } from '../components/notice';
import { Status } from '../components/status';
import { duration } from '../format';
import type { DeviceRow, Execution } from '../types';
import { useLoad } from '../use-load';

const FINAL = ['succeeded', 'failed', 'timed_out', 'cancelled', 'undeliverable', 'skipped'];

export function DeviceOutput(props: {
  batchId: string;
  device: DeviceRow;
  live: Array<{ stream: 'stdout' | 'stderr'; text: string }> | undefined;
  onClose(): void;
}): JSX.Element {
  const { batchId, device } = props;
  const final = FINAL.includes(device.status);
  const result = useLoad(() => get<Execution>(`/v1/batches/${batchId}/executions/${device.deviceId}`), [batchId, device.deviceId, final]);
  useEffect(() => {
    document.getElementById('device-output')?.focus();
  }, [device.deviceId]);
  const e = result.data;
  return (
    <section id="device-output" class="device-output" tabIndex={-1} aria-label={`Output of ${device.deviceName}`}>
      <header class="page-head">
        <h2>
          {device.deviceName} <Status status={device.status} />
        </h2>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </header>
      <ErrorNote error={result.error} />
      {e && (
        <p class="facts">
          exit code {e.exitCode ?? '—'} · took {duration(e.durationMs)}
          {e.error && <> · error: {e.error}</>}
          {e.truncated && (
            <strong class="truncated">
              {' '}
              · <span aria-hidden="true">✂</span> truncated: the agent kept only the first 1 MiB
            </strong>
          )}
        </p>
      )}
      {!final && props.live && props.live.length > 0 && (
        <div>
          <h3>Live output</h3>
          <pre class="out live">{props.live.map((c) => c.text).join('')}</pre>
        </div>
      )}
      {!final && (!props.live || props.live.length === 0) && <p class="empty">No output yet.</p>}
      {e && final && e.steps.length > 1
        ? e.steps.map((s) => (
            <div key={s.index} class="step">
              <h3>
                Step {s.index + 1} ({s.type}) <Status status={s.status} /> exit {s.exitCode ?? '—'} {s.truncated && <strong class="truncated">truncated</strong>}
              </h3>
              {s.error && <p class="error">{s.error}</p>}
              <Out label="stdout" text={s.stdout} />
              <Out label="stderr" text={s.stderr} />
            </div>
          ))
        : e &&
          final && (
            <>
              <Out label="stdout" text={e.stdout} />
              <Out label="stderr" text={e.stderr} />
            </>
          )}
    </section>
  );
}

function Out({ label, text }: { label: string; text: string | null }): JSX.Element {
  return (
    <div class="stream">
      <h4>{label}</h4>
      {text ? <pre class={`out ${label}`}>{text}</pre> : <p class="empty">(empty)</p>}
    </div>
  );
}
