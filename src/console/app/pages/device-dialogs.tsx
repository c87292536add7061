// The devices page's dialogs: add a device (its agent token is handed back once) and edit a device's tags.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { describeError, patch, post } from '../api';
import { Dialog } from '../components/dialog';
import { FormButtons } from '../components/form-buttons';
import { ErrorNote } from '../components/notice';
import type { Device } from '../types';

const splitTags = (s: string): string[] => s.split(/[\s,]+/).filter(Boolean);

function TagsField({ value, onChange }: { value: string; onChange(tags: string): void }): JSX.Element {
  return (
    <label>
      Tags (space or comma separated) <input name="tags" value={value} onInput={(e) => onChange(e.currentTarget.value)} />
    </label>
  );
}

export function AddDevice({ onClose, onAdded }: { onClose(): void; onAdded(name: string, token: string): void }): JSX.Element {
  const [name, setName] = useState('');
  const [hostname, setHostname] = useState('');
  const [tags, setTags] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      const body = { name: name.trim(), tags: splitTags(tags), ...(hostname.trim() ? { hostname: hostname.trim() } : {}) };
      const res = await post<{ device: Device; agentToken: string }>('/v1/devices', body);
      onAdded(res.device.name, res.agentToken);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <Dialog title="Add a device" onClose={onClose}>
      <form onSubmit={submit} class="stack">
        <label>
          Name <input name="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Hostname (optional) <input name="hostname" value={hostname} onInput={(e) => setHostname(e.currentTarget.value)} />
        </label>
        <TagsField value={tags} onChange={setTags} />
        <ErrorNote error={error} />
        <FormButtons submit="Add" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export function EditTags({ device, onClose, onSaved }: { device: Device; onClose(): void; onSaved(): void }): JSX.Element {
  const [tags, setTags] = useState(device.tags.join(' '));
  const [error, setError] = useState<string>();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      await patch(`/v1/devices/${device.id}`, { tags: splitTags(tags) });
      onSaved();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <Dialog title={`Tags of ${device.name}`} onClose={onClose}>
      <form onSubmit={submit} class="stack">
        <TagsField value={tags} onChange={setTags} />
        <ErrorNote error={error} />
        <FormButtons submit="Save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
