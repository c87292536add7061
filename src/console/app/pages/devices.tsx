// Devices: presence, facts and tags; filters by text, tag, group and status; cursor paging; add
// (the agent token shown once), edit tags, rotate the token, delete.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { del, describeError, get, getPage, post } from '../api';
import { ErrorNote } from '../components/notice';
import { Pager, useCursorPager } from '../components/pager';
import { Status } from '../components/status';
import { TableHead } from '../components/table-head';
import { ago, when } from '../format';
import { useConsole } from '../session';
import type { Device, Group, Page } from '../types';
import { useLoad } from '../use-load';
import { AddDevice, EditTags } from './device-dialogs';

const PAGE_SIZE = 50;

export function DevicesPage(): JSX.Element {
  const { canWrite, openRun } = useConsole();
  const [q, setQ] = useState('');
  const [tag, setTag] = useState('');
  const [group, setGroup] = useState('');
  const [status, setStatus] = useState('');
  const pager = useCursorPager();
  const groups = useLoad(() => getPage<Group>('/v1/groups', { limit: 200 }), []);
  const devices = useLoad(
    () => getPage<Device>('/v1/devices', { q, tag, group, status, limit: PAGE_SIZE, cursor: pager.cursor }),
    [q, tag, group, status, pager.cursor],
  );
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Device>();
  const [shownToken, setShownToken] = useState<{ device: string; token: string }>();
  const [error, setError] = useState<string>();
  const filter = (set: (v: string) => void) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) => {
    set(e.currentTarget.value);
    pager.reset();
  };
  const act = async (fn: () => Promise<void>): Promise<void> => {
    setError(undefined);
    try {
      await fn();
      devices.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const rotate = (d: Device): Promise<void> =>
    act(async () => {
      if (!confirm(`Issue a new agent token for ${d.name}? The old one stops working and the agent is disconnected.`)) return;
      const { token } = await post<{ token: string }>(`/v1/devices/${d.id}/rotate-token`);
      setShownToken({ device: d.name, token });
    });
  const remove = (d: Device): Promise<void> =>
    act(async () => {
      if (!confirm(`Delete device ${d.name}? Its past results stay.`)) return;
      await del(`/v1/devices/${d.id}`);
    });
  return (
    <section>
      <div class="page-head">
        <h1>Devices</h1>
        {canWrite && (
          <button type="button" onClick={() => setAdding(true)}>
            + Add device
          </button>
        )}
      </div>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search <input type="search" name="q" placeholder="name or hostname" value={q} onInput={filter(setQ)} />
        </label>
        <label>
          Tag <input name="tag" value={tag} onInput={filter(setTag)} />
        </label>
        <label>
          Group
          <select name="group" value={group} onChange={filter(setGroup)}>
            <option value="">any</option>
            {groups.data?.items.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status" value={status} onChange={filter(setStatus)}>
            <option value="">any</option>
            <option value="online">online</option>
            <option value="offline">offline</option>
          </select>
        </label>
      </form>
      <ErrorNote error={error ?? devices.error} />
      {shownToken && (
        <div class="token-once" role="status">
          <p>
            Agent token for <strong>{shownToken.device}</strong>, shown only this once:
          </p>
          <code class="secret">{shownToken.token}</code>
          <button type="button" onClick={() => setShownToken(undefined)}>
            Done
          </button>
        </div>
      )}
      <DeviceTable page={devices.data} loading={devices.loading} canWrite={canWrite} onRun={(d) => openRun({ deviceIds: [d.id], deviceNames: { [d.id]: d.name } })} onEdit={setEditing} onRotate={rotate} onDelete={remove} />
      <Pager pager={pager} nextCursor={devices.data?.nextCursor} />
      {adding && (
        <AddDevice
          onClose={() => setAdding(false)}
          onAdded={(name, token) => {
            setAdding(false);
            setShownToken({ device: name, token });
            devices.reload();
          }}
        />
      )}
      {editing && (
        <EditTags
          device={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            devices.reload();
          }}
        />
      )}
    </section>
  );
}

interface TableProps {
  page: Page<Device> | undefined;
  loading: boolean;
  canWrite: boolean;
  onRun(d: Device): void;
  onEdit(d: Device): void;
  onRotate(d: Device): Promise<void>;
  onDelete(d: Device): Promise<void>;
}

function DeviceTable(p: TableProps): JSX.Element {
  if (!p.page) return <p class="loading">{p.loading ? 'Loading devices…' : 'No devices.'}</p>;
  if (p.page.items.length === 0) return <p>No device matches.</p>;
  return (
    <div class="table-wrap">
      <table class="devices">
        <TableHead columns={['Status', 'Name', 'Hostname', 'OS', 'Tags', 'Last seen', 'Agent', p.canWrite && 'Actions']} />
        <tbody>
          {p.page.items.map((d) => (
            <tr key={d.id} data-device={d.name}>
              <td>
                <Status status={d.status} />
              </td>
              <td class="name">{d.name}</td>
              <td>{d.facts?.hostname ?? d.hostname ?? '—'}</td>
              <td>{d.facts ? `${d.facts.os} ${d.facts.arch}` : '—'}</td>
              <td>
                {d.tags.map((t) => (
                  <span key={t} class="tag">
                    {t}
                  </span>
                ))}
              </td>
              <td title={when(d.lastSeenAt)}>{ago(d.lastSeenAt)}</td>
              <td>{d.facts?.agentVersion ?? '—'}</td>
              {p.canWrite && (
                <td class="actions">
                  <button type="button" onClick={() => p.onRun(d)} aria-label={`Run on ${d.name}`}>
                    Run
                  </button>
                  <button type="button" onClick={() => p.onEdit(d)} aria-label={`Edit tags of ${d.name}`}>
                    Tags
                  </button>
                  <button type="button" onClick={() => void p.onRotate(d)} aria-label={`Rotate token of ${d.name}`}>
                    Rotate token
                  </button>
                  <button type="button" class="danger" onClick={() => void p.onDelete(d)} aria-label={`Delete ${d.name}`}>
                    Delete
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Devices whose name or hostname contains the text, for pickers (first page only). */
export async function searchDevices(q: string, limit = 20): Promise<Device[]> {
  const page = await get<Page<Device>>('/v1/devices', { q: q || undefined, limit });
  return page.items;
}
