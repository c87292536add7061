// Create or edit a schedule: when (once, daily, weekly, monthly, cron; timezone; overlap) and what,
// with the same target, action and strategy fields as the Run dialog.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { describeError, patch, post } from '../api';
import { Dialog } from '../components/dialog';
import { FormButtons } from '../components/form-buttons';
import { ErrorNote } from '../components/notice';
import { BatchFields } from '../run/batch-fields';
import { batchRequestOf, emptyRunForm, FormError, runFormOf, type RunForm } from '../run/run-form';
import { TargetPicker } from '../run/target-picker';
import type { Schedule } from '../types';

type Kind = 'daily' | 'weekly' | 'monthly' | 'cron' | 'once';
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const OVERLAPS = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'];

interface When {
  kind: Kind;
  time: string;
  days: string[];
  day: string;
  cron: string;
  once: string;
}

function whenOf(spec: Record<string, unknown> | undefined): When {
  const w: When = { kind: 'daily', time: '02:00', days: ['mon'], day: '1', cron: '0 2 * * *', once: '' };
  if (!spec) return w;
  const s = spec as { daily?: { time: string }; weekly?: { days: string[]; time: string }; monthly?: { day: number | 'last'; time: string }; cron?: string; once?: string };
  if (s.daily) return { ...w, kind: 'daily', time: s.daily.time };
  if (s.weekly) return { ...w, kind: 'weekly', time: s.weekly.time, days: s.weekly.days };
  if (s.monthly) return { ...w, kind: 'monthly', time: s.monthly.time, day: String(s.monthly.day) };
  if (s.cron) return { ...w, kind: 'cron', cron: s.cron };
  if (s.once) return { ...w, kind: 'once', once: s.once };
  return w;
}

function specOf(w: When): Record<string, unknown> {
  switch (w.kind) {
    case 'daily':
      return { daily: { time: w.time } };
    case 'weekly':
      return { weekly: { days: w.days, time: w.time } };
    case 'monthly':
      return { monthly: { day: w.day === 'last' ? 'last' : Number(w.day), time: w.time } };
    case 'cron':
      return { cron: w.cron };
    case 'once':
      return { once: w.once ? new Date(w.once).toISOString() : '' };
  }
}

export function ScheduleForm({ schedule, onClose, onSaved }: { schedule?: Schedule; onClose(): void; onSaved(id: string): void }): JSX.Element {
  const [name, setName] = useState(schedule?.name ?? '');
  const [when, setWhen] = useState<When>(() => whenOf(schedule?.spec));
  const [timezone, setTimezone] = useState(schedule?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
  const [overlap, setOverlap] = useState<string>(schedule?.overlap ?? 'skip');
  const [form, setForm] = useState<RunForm>(() => (schedule ? runFormOf(schedule.batch) : emptyRunForm()));
  const [error, setError] = useState<string>();
  const set = <K extends keyof RunForm>(key: K, value: RunForm[K]): void => setForm((f) => ({ ...f, [key]: value }));
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    try {
      const batch = batchRequestOf(form);
      const common = { spec: specOf(when), timezone, overlap, batch };
      const res = schedule
        ? await patch<{ schedule: Schedule }>(`/v1/schedules/${schedule.id}`, common)
        : await post<{ schedule: Schedule }>('/v1/schedules', { name: name.trim(), ...common });
      onSaved(res.schedule.id);
    } catch (err) {
      setError(err instanceof FormError ? err.message : describeError(err));
    }
  };
  const w = <K extends keyof When>(key: K, value: When[K]): void => setWhen((x) => ({ ...x, [key]: value }));
  return (
    <Dialog title={schedule ? `Edit schedule ${schedule.name}` : 'New schedule'} onClose={onClose} wide>
      <form class="stack" onSubmit={submit}>
        <fieldset>
          <legend>When</legend>
          {!schedule && (
            <label>
              Name <input name="schedule-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
          )}
          <div class="row">
            <label>
              Repeat
              <select name="spec-kind" value={when.kind} onChange={(e) => w('kind', e.currentTarget.value as Kind)}>
                <option value="daily">daily</option>
                <option value="weekly">weekly</option>
                <option value="monthly">monthly</option>
                <option value="cron">cron</option>
                <option value="once">once</option>
              </select>
            </label>
            {(when.kind === 'daily' || when.kind === 'weekly' || when.kind === 'monthly') && (
              <label>
                Time (HH:MM) <input name="spec-time" size={5} value={when.time} onInput={(e) => w('time', e.currentTarget.value)} />
              </label>
            )}
            {when.kind === 'monthly' && (
              <label>
                Day (1–31 or last) <input name="spec-day" size={4} value={when.day} onInput={(e) => w('day', e.currentTarget.value)} />
              </label>
            )}
            {when.kind === 'cron' && (
              <label>
                Cron <input name="spec-cron" class="mono" value={when.cron} onInput={(e) => w('cron', e.currentTarget.value)} />
              </label>
            )}
            {when.kind === 'once' && (
              <label>
                At <input name="spec-once" type="datetime-local" value={when.once} onInput={(e) => w('once', e.currentTarget.value)} />
              </label>
            )}
            <label>
              Timezone <input name="timezone" value={timezone} onInput={(e) => setTimezone(e.currentTarget.value)} />
            </label>
            <label>
              If a run is still going
              <select name="overlap" value={overlap} onChange={(e) => setOverlap(e.currentTarget.value)}>
                {OVERLAPS.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            </label>
          </div>
          {when.kind === 'weekly' && (
            <div class="radios" role="group" aria-label="days">
              {DAYS.map((d) => (
                <label key={d} class="check">
                  <input type="checkbox" checked={when.days.includes(d)} onChange={(e) => w('days', e.currentTarget.checked ? [...when.days, d] : when.days.filter((x) => x !== d))} /> {d}
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <TargetPicker value={form} onChange={(t) => setForm((f) => ({ ...f, ...t }))} onPreview={() => undefined} />
        <BatchFields form={form} set={set} />
        <ErrorNote error={error} />
        <FormButtons submit={schedule ? 'Save' : 'Create schedule'} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
