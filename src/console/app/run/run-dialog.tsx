// The Run dialog: targets with a live preview, what to run and how; for a large fleet, a second
// confirmation that states the device count. Starting opens the batch's live page.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { describeError, post } from '../api';
import { Dialog } from '../components/dialog';
import { FormButtons } from '../components/form-buttons';
import { ErrorNote } from '../components/notice';
import { plural } from '../format';
import { go } from '../router';
import type { TargetsPreview } from '../types';
import { BatchFields } from './batch-fields';
import { batchRequestOf, emptyRunForm, FormError, type RunForm, type RunPrefill } from './run-form';
import { TargetPicker } from './target-picker';

/** From this many devices on, starting asks once more, naming the count. */
export const LARGE_FLEET = 25;

export function RunDialog({ prefill, onClose }: { prefill: RunPrefill; onClose(): void }): JSX.Element {
  const [form, setForm] = useState<RunForm>(() => emptyRunForm(prefill));
  const [preview, setPreview] = useState<TargetsPreview>();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof RunForm>(key: K, value: RunForm[K]): void => {
    setConfirming(false);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const start = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    let body;
    try {
      body = batchRequestOf(form);
    } catch (err) {
      setError(err instanceof FormError ? err.message : describeError(err));
      return;
    }
    if (preview && preview.matched >= LARGE_FLEET && !confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    try {
      const created = await post<{ batchId: string }>('/v1/batches', body);
      onClose();
      go('batches', created.batchId);
    } catch (err) {
      setError(describeError(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Run" onClose={onClose} wide>
      <form onSubmit={start} class="stack run-form">
        <TargetPicker
          value={form}
          onChange={(t) => {
            setConfirming(false);
            setForm((f) => ({ ...f, ...t }));
          }}
          onPreview={setPreview}
        />
        <BatchFields form={form} set={set} />
        <ErrorNote error={error} />
        {confirming && preview && (
          <p class="confirm" role="alert">
            <span aria-hidden="true">⚠</span> This runs on <strong>{plural(preview.matched, 'device')}</strong>. Press the button again to start.
          </p>
        )}
        <FormButtons
          submit={confirming && preview ? `Start on ${plural(preview.matched, 'device')}` : preview ? `Start (${plural(preview.matched, 'device')})` : 'Start'}
          disabled={busy || preview?.matched === 0}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
