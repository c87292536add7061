// The signed-in console: navigation, who is signed in, the Run dialog reachable from every page.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from './api';
import { AuditPage } from './pages/audit';
import { BatchPage } from './pages/batch';
import { BatchesPage } from './pages/batches';
import { DevicesPage } from './pages/devices';
import { GroupPage, GroupsPage } from './pages/groups';
import { SchedulePage, SchedulesPage } from './pages/schedules';
import { href, useRoute } from './router';
import { RunDialog } from './run/run-dialog';
import type { RunPrefill } from './run/run-form';
import { Ctx, type ConsoleContext } from './session';
import type { Session, Settings } from './types';

const PAGES = [
  ['devices', 'Devices'],
  ['groups', 'Groups'],
  ['batches', 'Batches'],
  ['schedules', 'Schedules'],
  ['audit', 'Audit'],
] as const;

export function Shell({ session, onSignOut }: { session: Session; onSignOut: () => Promise<void> }): JSX.Element {
  const route = useRoute();
  const [settings, setSettings] = useState<Settings>();
  const [run, setRun] = useState<RunPrefill | undefined>();
  useEffect(() => {
    get<Settings>('/v1/console/settings').then(setSettings, () => undefined);
  }, []);
  const canWrite = session.principal.role !== 'auditor';
  const ctx: ConsoleContext = { session, settings, canWrite, openRun: (prefill) => setRun(prefill ?? {}) };
  return (
    <Ctx.Provider value={ctx}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Flotilla</span>
        <nav aria-label="main">
          {PAGES.map(([page, label]) => (
            <a key={page} href={href(page)} aria-current={route.page === page ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span class="who">
          {session.principal.name} <span class="role">({session.principal.role})</span>
        </span>
        {canWrite && (
          <button type="button" class="primary" onClick={() => setRun({})}>
            ▶ Run…
          </button>
        )}
        <button type="button" onClick={() => void onSignOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page page={route.page} id={route.id} />
      </main>
      {run && canWrite && <RunDialog prefill={run} onClose={() => setRun(undefined)} />}
    </Ctx.Provider>
  );
}

function Page({ page, id }: { page: string; id: string | undefined }): JSX.Element {
  switch (page) {
    case 'groups':
      return id ? <GroupPage key={id} id={id} /> : <GroupsPage />;
    case 'batches':
      return id ? <BatchPage key={id} id={id} /> : <BatchesPage />;
    case 'schedules':
      return id ? <SchedulePage key={id} id={id} /> : <SchedulesPage />;
    case 'audit':
      return <AuditPage />;
    default:
      return <DevicesPage />;
  }
}
