// What runs and how: the action (command, script, steps, file push), the strategy (parallel,
// sequential, rolling waves), the failure policy and the time limits. Shared by Run and Schedules.
import type { JSX } from 'preact';
import { getPage } from '../api';
import { useLoad } from '../use-load';
import type { RunForm } from './run-form';

interface FileItem {
  id: string;
  name: string;
  size: number;
}

type Set = <K extends keyof RunForm>(key: K, value: RunForm[K]) => void;

export function BatchFields({ form, set }: { form: RunForm; set: Set }): JSX.Element {
  const text = (key: keyof RunForm) => (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement }) =>
    set(key, e.currentTarget.value as never);
  return (
    <>
      <fieldset>
        <legend>Action</legend>
        <div class="radios" role="radiogroup" aria-label="action kind">
          {(['command', 'script', 'steps', 'file'] as const).map((k) => (
            <label key={k} class="check">
              <input type="radio" name="kind" value={k} checked={form.kind === k} onChange={() => set('kind', k)} /> {k === 'file' ? 'file push' : k}
            </label>
          ))}
        </div>
        {form.kind === 'command' && (
          <div class="row">
            <label class="grow">
              Command <input name="command" class="mono" value={form.command} onInput={text('command')} placeholder="uptime" />
            </label>
            <label>
              Shell
              <select name="shell" value={form.shell} onChange={text('shell')}>
                {['sh', 'bash', 'powershell', 'cmd'].map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
          </div>
        )}
        {form.kind === 'script' && (
          <>
            <label>
              Interpreter
              <select name="interpreter" value={form.interpreter} onChange={text('interpreter')}>
                {['sh', 'bash', 'powershell', 'python3', 'node'].map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <label>
              Script <textarea name="script" class="mono" rows={6} value={form.scriptBody} onInput={text('scriptBody')} />
            </label>
          </>
        )}
        {form.kind === 'steps' && (
          <>
            <label>
              Steps (JSON array of actions) <textarea name="steps" class="mono" rows={6} value={form.stepsJson} onInput={text('stepsJson')} />
            </label>
            <label>
              Step mode
              <select name="stepMode" value={form.stepMode} onChange={text('stepMode')}>
                <option value="sequential">sequential (a failed step ends the device)</option>
                <option value="parallel">parallel</option>
              </select>
            </label>
          </>
        )}
        {form.kind === 'file' && <FilePush form={form} set={set} />}
        {form.kind !== 'steps' && (
          <label>
            Timeout (s) <input name="timeoutSec" inputMode="numeric" size={6} value={form.timeoutSec} onInput={text('timeoutSec')} />
          </label>
        )}
      </fieldset>
      <fieldset>
        <legend>Strategy</legend>
        <div class="radios" role="radiogroup" aria-label="strategy">
          {(['parallel', 'sequential', 'waves'] as const).map((m) => (
            <label key={m} class="check">
              <input type="radio" name="mode" value={m} checked={form.mode === m} onChange={() => set('mode', m)} /> {m === 'waves' ? 'rolling waves' : m}
            </label>
          ))}
        </div>
        {form.mode === 'parallel' && (
          <label>
            Concurrency (N or N%) <input name="concurrency" size={6} value={form.concurrency} onInput={text('concurrency')} />
          </label>
        )}
        {form.mode === 'waves' && (
          <div class="grid">
            <label>
              Wave size (N or N%) <input name="waveSize" size={6} value={form.waveSize} onInput={text('waveSize')} />
            </label>
            <label>
              Pause between waves (s) <input name="pauseBetweenWavesSec" size={6} value={form.pauseBetweenWavesSec} onInput={text('pauseBetweenWavesSec')} />
            </label>
            <label>
              Max failures per wave (N or N%) <input name="maxFailuresPerWave" size={6} value={form.maxFailuresPerWave} onInput={text('maxFailuresPerWave')} />
            </label>
            <label>
              Health check command (after each wave) <input name="healthCheck" class="mono" value={form.healthCheck} onInput={text('healthCheck')} />
            </label>
            <label class="check">
              <input type="checkbox" name="approveAfterFirstWave" checked={form.approveAfterFirstWave} onChange={(e) => set('approveAfterFirstWave', e.currentTarget.checked)} />{' '}
              Wait for approval after the first wave
            </label>
          </div>
        )}
        <div class="radios" role="radiogroup" aria-label="failures">
          <label class="check">
            <input type="radio" name="failure" checked={form.failure === 'none'} onChange={() => set('failure', 'none')} /> keep going on failures
          </label>
          <label class="check">
            <input type="radio" name="failure" checked={form.failure === 'stop'} onChange={() => set('failure', 'stop')} /> stop on the first failure
          </label>
          <label class="check">
            <input type="radio" name="failure" checked={form.failure === 'max'} onChange={() => set('failure', 'max')} /> stop after
          </label>
          <input name="maxFailures" aria-label="max failures (N or N%)" size={5} disabled={form.failure !== 'max'} value={form.maxFailures} onInput={text('maxFailures')} />
          <span>failures (N or N%)</span>
        </div>
      </fieldset>
      <fieldset>
        <legend>Time limits</legend>
        <div class="row">
          <label>
            Delivery window (s, waiting for offline devices) <input name="deliveryTimeoutSec" size={6} value={form.deliveryTimeoutSec} onInput={text('deliveryTimeoutSec')} />
          </label>
          <label>
            Deadline (s, whole batch; optional) <input name="deadlineSec" size={6} value={form.deadlineSec} onInput={text('deadlineSec')} />
          </label>
        </div>
      </fieldset>
    </>
  );
}

function FilePush({ form, set }: { form: RunForm; set: Set }): JSX.Element {
  const files = useLoad(() => getPage<FileItem>('/v1/files', { limit: 200 }), []);
  return (
    <div class="row">
      <label>
        Uploaded file
        <select name="fileId" value={form.fileId} onChange={(e) => set('fileId', e.currentTarget.value)}>
          <option value="">choose…</option>
          {files.data?.items.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name} ({f.size.toLocaleString()} bytes)
            </option>
          ))}
        </select>
      </label>
      <label class="grow">
        Path on the device <input name="filePath" class="mono" value={form.filePath} onInput={(e) => set('filePath', e.currentTarget.value)} placeholder="/etc/app.conf" />
      </label>
      <label>
        Mode <input name="fileMode" size={5} value={form.fileMode} onInput={(e) => set('fileMode', e.currentTarget.value)} placeholder="0644" />
      </label>
    </div>
  );
}
