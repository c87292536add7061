// The audit log, newest first: admins and auditors see every entry, operators their own (the API
// decides; the page only shows what it gets).
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { getPage } from '../api';
import { ErrorNote } from '../components/notice';
import { Pager, useCursorPager } from '../components/pager';
import { TableHead } from '../components/table-head';
import { when } from '../format';
import { useConsole } from '../session';
import type { AuditEntry } from '../types';
import { useLoad } from '../use-load';

export function AuditPage(): JSX.Element {
  const { session } = useConsole();
  const [action, setAction] = useState('');
  const [resource, setResource] = useState('');
  const pager = useCursorPager();
  const entries = useLoad(() => getPage<AuditEntry>('/v1/audit', { action, resource, limit: 50, cursor: pager.cursor }), [action, resource, pager.cursor]);
  return (
    <section>
      <h1>Audit log</h1>
      {session.principal.role === 'operator' && <p class="hint">You see your own entries.</p>}
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Action <input name="action" placeholder="batch.start" value={action} onInput={(e) => (setAction(e.currentTarget.value), pager.reset())} />
        </label>
        <label>
          Resource <input name="resource" placeholder="batch" value={resource} onInput={(e) => (setResource(e.currentTarget.value), pager.reset())} />
        </label>
      </form>
      <ErrorNote error={entries.error} />
      <div class="table-wrap">
        <table>
          <TableHead columns={['When', 'Who', 'Action', 'Resource', 'Request', 'Details']} />
          <tbody>
            {entries.data?.items.map((e) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td>
                <td>{e.actor.name}</td>
                <td>{e.action}</td>
                <td>
                  {e.resource.type} <code>{e.resource.id?.slice(0, 8) ?? ''}</code>
                </td>
                <td class="small">
                  {e.request.method} {e.request.path} → {e.request.status} {e.request.clientIp ?? ''}
                </td>
                <td class="small mono">{e.details ? JSON.stringify(e.details) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager pager={pager} nextCursor={entries.data?.nextCursor} />
    </section>
  );
}
