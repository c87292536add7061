// Groups: the list with member counts; a group's members, added from a device search or removed.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { del, describeError, get, getPage, post, put } from '../api';
import { ErrorNote } from '../components/notice';
import { Status } from '../components/status';
import { go, href } from '../router';
import { useConsole } from '../session';
import type { Group, GroupWithDevices } from '../types';
import { useLoad } from '../use-load';
import { searchDevices } from './devices';

export function GroupsPage(): JSX.Element {
  const { canWrite } = useConsole();
  const groups = useLoad(() => getPage<Group>('/v1/groups', { limit: 200 }), []);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    try {
      const res = await post<{ group: Group }>('/v1/groups', { name: name.trim(), deviceIds: [] });
      setName('');
      go('groups', res.group.id);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <section>
      <h1>Groups</h1>
      {canWrite && (
        <form class="inline-form" onSubmit={create}>
          <label>
            New group <input name="group-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <button type="submit">+ Create group</button>
        </form>
      )}
      <ErrorNote error={error ?? groups.error} />
      <ul class="group-list">
        {groups.data?.items.map((g) => (
          <li key={g.id}>
            <a href={href('groups', g.id)}>{g.name}</a> — {g.deviceCount} {g.deviceCount === 1 ? 'device' : 'devices'}
          </li>
        ))}
      </ul>
      {groups.data?.items.length === 0 && <p>No groups yet.</p>}
    </section>
  );
}

export function GroupPage({ id }: { id: string }): JSX.Element {
  const { canWrite, openRun } = useConsole();
  const group = useLoad(() => get<{ group: GroupWithDevices }>(`/v1/groups/${id}`), [id]);
  const [q, setQ] = useState('');
  const found = useLoad(() => (canWrite ? searchDevices(q) : Promise.resolve([])), [q]);
  const [error, setError] = useState<string>();
  const g = group.data?.group;
  const setMembers = async (ids: string[]): Promise<void> => {
    setError(undefined);
    try {
      await put(`/v1/groups/${id}/devices`, { deviceIds: ids });
      group.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const remove = async (): Promise<void> => {
    if (!g || !confirm(`Delete group ${g.name}? Its devices stay.`)) return;
    try {
      await del(`/v1/groups/${id}`);
      go('groups');
    } catch (err) {
      setError(describeError(err));
    }
  };
  if (!g) return group.error ? <ErrorNote error={group.error} /> : <p class="loading">Loading…</p>;
  const members = new Set(g.devices.map((d) => d.id));
  return (
    <section>
      <div class="page-head">
        <h1>Group {g.name}</h1>
        {canWrite && (
          <>
            <button type="button" class="primary" onClick={() => openRun({ groupIds: [g.id] })}>
              ▶ Run on this group
            </button>
            <button type="button" class="danger" onClick={() => void remove()}>
              Delete group
            </button>
          </>
        )}
      </div>
      <ErrorNote error={error} />
      <h2>Members ({g.devices.length})</h2>
      <ul class="members">
        {g.devices.map((d) => (
          <li key={d.id} data-member={d.name}>
            <Status status={d.status} /> {d.name}{' '}
            {canWrite && (
              <button type="button" onClick={() => void setMembers(g.devices.filter((x) => x.id !== d.id).map((x) => x.id))} aria-label={`Remove ${d.name} from the group`}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {canWrite && (
        <div>
          <h2>Add devices</h2>
          <label>
            Search <input type="search" name="member-search" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder="name or hostname" />
          </label>
          <ul class="pick-list">
            {found.data
              ?.filter((d) => !members.has(d.id))
              .map((d) => (
                <li key={d.id}>
                  {d.name}{' '}
                  <button type="button" onClick={() => void setMembers([...members, d.id])} aria-label={`Add ${d.name} to the group`}>
                    Add
                  </button>
                </li>
              ))}
          </ul>
        </div>
      )}
    </section>
  );
}
