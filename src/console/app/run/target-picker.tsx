// Targets: devices (multi-select from a search), groups and tags, with a live count and preview of
// the devices they match now, resolved by the API exactly as a batch start resolves them.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { describeError, get, getPage } from '../api';
import { plural } from '../format';
import { searchDevices } from '../pages/devices';
import type { Device, Group, TargetsPreview } from '../types';
import { useLoad } from '../use-load';
import { hasTargets, type RunForm } from './run-form';

type Targets = Pick<RunForm, 'deviceIds' | 'deviceNames' | 'groupIds' | 'tags'>;

export function TargetPicker({ value, onChange, onPreview }: { value: Targets; onChange(t: Targets): void; onPreview(p: TargetsPreview | undefined): void }): JSX.Element {
  const [q, setQ] = useState('');
  const [tag, setTag] = useState('');
  const found = useLoad(() => searchDevices(q), [q]);
  const groups = useLoad(() => getPage<Group>('/v1/groups', { limit: 200 }), []);
  const preview = usePreview(value);
  useEffect(() => onPreview(preview.data), [preview.data]);
  const toggleDevice = (d: Device): void => {
    const on = value.deviceIds.includes(d.id);
    onChange({
      ...value,
      deviceIds: on ? value.deviceIds.filter((id) => id !== d.id) : [...value.deviceIds, d.id],
      deviceNames: { ...value.deviceNames, [d.id]: d.name },
    });
  };
  const toggleGroup = (id: string): void =>
    onChange({ ...value, groupIds: value.groupIds.includes(id) ? value.groupIds.filter((g) => g !== id) : [...value.groupIds, id] });
  const addTag = (): void => {
    const t = tag.trim();
    if (t && !value.tags.includes(t)) onChange({ ...value, tags: [...value.tags, t] });
    setTag('');
  };
  return (
    <fieldset class="targets">
      <legend>Targets</legend>
      <div class="target-cols">
        <div>
          <label>
            Devices <input type="search" name="device-search" placeholder="search devices" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
          </label>
          <ul class="pick-list" aria-label="matching devices">
            {found.data?.map((d) => (
              <li key={d.id}>
                <label class="check">
                  <input type="checkbox" checked={value.deviceIds.includes(d.id)} onChange={() => toggleDevice(d)} /> {d.name}
                </label>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <span class="label">Groups</span>
          <ul class="pick-list" aria-label="groups">
            {groups.data?.items.map((g) => (
              <li key={g.id}>
                <label class="check">
                  <input type="checkbox" name="group" value={g.id} checked={value.groupIds.includes(g.id)} onChange={() => toggleGroup(g.id)} /> {`${g.name} (${g.deviceCount})`}
                </label>
              </li>
            ))}
          </ul>
          <label>
            Tag
            <span class="inline">
              <input
                name="tag"
                value={tag}
                onInput={(e) => setTag(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addTag();
                  }
                }}
              />
              <button type="button" onClick={addTag}>
                Add tag
              </button>
            </span>
          </label>
        </div>
      </div>
      <div class="chips" aria-label="chosen targets">
        {value.deviceIds.map((id) => (
          <Chip key={id} label={`device ${value.deviceNames[id] ?? id}`} onRemove={() => onChange({ ...value, deviceIds: value.deviceIds.filter((x) => x !== id) })} />
        ))}
        {value.groupIds.map((id) => (
          <Chip key={id} label={`group ${groups.data?.items.find((g) => g.id === id)?.name ?? id}`} onRemove={() => toggleGroup(id)} />
        ))}
        {value.tags.map((t) => (
          <Chip key={t} label={`tag ${t}`} onRemove={() => onChange({ ...value, tags: value.tags.filter((x) => x !== t) })} />
        ))}
      </div>
      <PreviewLine targets={value} preview={preview.data} error={preview.error} />
    </fieldset>
  );
}

function Chip({ label, onRemove }: { label: string; onRemove(): void }): JSX.Element {
  return (
    <span class="chip">
      {label}
      <button type="button" class="plain" onClick={onRemove} aria-label={`Remove ${label}`}>
        ✕
      </button>
    </span>
  );
}

function PreviewLine({ targets, preview, error }: { targets: Targets; preview: TargetsPreview | undefined; error: string | undefined }): JSX.Element {
  if (!hasTargets(targets)) return <p class="preview" role="status">No targets chosen yet.</p>;
  if (error) return <p class="preview error" role="status">{error}</p>;
  if (!preview) return <p class="preview" role="status">Counting…</p>;
  const names = preview.devices.map((d) => d.name);
  return (
    <p class="preview" role="status" data-matched={preview.matched}>
      <strong>{plural(preview.matched, 'device')} match</strong>
      {preview.matched > preview.limit && ` — more than the ${preview.limit.toLocaleString()} a batch may target`}
      {names.length > 0 && `: ${names.slice(0, 8).join(', ')}${preview.matched > 8 ? ', …' : ''}`}
    </p>
  );
}

function usePreview(t: Targets): { data: TargetsPreview | undefined; error: string | undefined } {
  const [data, setData] = useState<TargetsPreview>();
  const [error, setError] = useState<string>();
  const key = JSON.stringify([t.deviceIds, t.groupIds, t.tags]);
  useEffect(() => {
    setData(undefined);
    if (!hasTargets(t)) return;
    let live = true;
    const timer = setTimeout(() => {
      get<TargetsPreview>('/v1/targets/preview', { deviceId: t.deviceIds, groupId: t.groupIds, tag: t.tags }).then(
        (p) => live && (setData(p), setError(undefined)),
        (err: unknown) => live && setError(describeError(err)),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return { data, error };
}
