// The batch's outcome groups (devices with the same status, exit code and output), above the device
// table: re-read from GET /v1/batches/:id/outcomes when the counts change (at most every 2 s), with a
// normalisation picker. Picking a group, or searching outputs, narrows the table to the devices the
// executions list answers for that filter (`?group=KEY`, `?output=TEXT`).
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api';
import { ErrorNote } from '../components/notice';
import { Status } from '../components/status';
import { plural } from '../format';
import type { Execution, OutcomeGroups, Page } from '../types';
import { useLoad } from '../use-load';

const NORMALIZATIONS = ['none', 'whitespace', 'digits'] as const;
const REFRESH_MS = 2000;
/** Pages of the executions list read for one filter (200 devices each). */
const MAX_FILTER_PAGES = 50;

export interface DeviceFilter {
  group?: { key: string; label: string };
  output?: string;
}

export function OutcomeGroupsSection({ batchId, countsKey, filter, onFilter }: { batchId: string; countsKey: string; filter: DeviceFilter; onFilter(f: DeviceFilter): void }): JSX.Element {
  const [normalize, setNormalize] = useState<(typeof NORMALIZATIONS)[number]>('whitespace');
  const [search, setSearch] = useState(filter.output ?? '');
  const changes = useThrottled(countsKey, REFRESH_MS);
  const groups = useLoad(() => get<OutcomeGroups>(`/v1/batches/${encodeURIComponent(batchId)}/outcomes`, { normalize, limit: 20 }), [batchId, normalize, changes]);
  const data = groups.data;
  return (
    <section class="outcomes" aria-labelledby="outcomes-title">
      <h2 id="outcomes-title">Outcomes</h2>
      <form class="filters" role="search" onSubmit={(e) => (e.preventDefault(), onFilter({ ...filter, output: search.trim() || undefined }))}>
        <label>
          Compare outputs
          <select name="normalize" value={normalize} onChange={(e) => setNormalize(e.currentTarget.value as typeof normalize)}>
            {NORMALIZATIONS.map((n) => (
              <option key={n} value={n}>
                {n === 'none' ? 'exactly' : n === 'whitespace' ? 'ignoring white space' : 'ignoring white space and digits'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search outputs <input type="search" name="output-q" value={search} maxLength={200} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        <button type="submit">Search</button>
        {data && <span>{plural(data.distinct, 'group')}</span>}
      </form>
      <ErrorNote error={groups.error} />
      {data && (
        <ul class="groups-list" aria-label="outcome groups">
          {data.items.map((g) => {
            const label = `${g.status}${g.exitCode === null ? '' : ` ${g.exitCode}`}: ${firstLine(g.stdoutSample || g.stderrSample) || '(no output)'}`;
            const picked = filter.group?.key === g.key;
            return (
              <li key={g.key} data-group={g.key}>
                <button type="button" class="plain" aria-pressed={picked} onClick={() => onFilter({ ...filter, group: picked ? undefined : { key: g.key, label } })}>
                  <strong data-group-count>{g.count.toLocaleString()}</strong> <Status status={g.status} /> <span>exit {g.exitCode ?? '—'}</span>{' '}
                  <code class="mono">{firstLine(g.stdoutSample || g.stderrSample) || '(no output)'}</code>
                  {g.truncated && <em> truncated</em>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {(filter.group || filter.output) && (
        <p class="filter-note" role="status">
          showing {filter.group ? `group “${filter.group.label}”` : ''}
          {filter.group && filter.output ? ' and ' : ''}
          {filter.output ? `outputs containing “${filter.output}”` : ''}{' '}
          <button type="button" onClick={() => (setSearch(''), onFilter({}))}>
            clear
          </button>
        </p>
      )}
    </section>
  );
}

/** The device ids the executions list answers for a filter, or undefined when there is no filter. */
export function useFilteredIds(batchId: string, filter: DeviceFilter): { ids: Set<string> | undefined; error: string | undefined } {
  const active = Boolean(filter.group || filter.output);
  const loaded = useLoad(async () => {
    if (!active) return undefined;
    const ids = new Set<string>();
    let cursor: string | null = null;
    for (let i = 0; i < MAX_FILTER_PAGES; i++) {
      const page: Page<Execution> = await get<Page<Execution>>(`/v1/batches/${encodeURIComponent(batchId)}/executions`, { group: filter.group?.key, output: filter.output, limit: 200, cursor });
      for (const e of page.items) ids.add(e.deviceId);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return ids;
  }, [batchId, filter.group?.key, filter.output]);
  return { ids: !active ? undefined : loaded.loading ? new Set() : loaded.data, error: loaded.error };
}

function firstLine(text: string): string {
  return text.trim().split('\n', 1)[0]!.slice(0, 160);
}

/** A counter that follows `value`'s changes, but moves at most once per `ms`. */
function useThrottled(value: string, ms: number): number {
  const [n, setN] = useState(0);
  const last = useRef(0);
  useEffect(() => {
    if (last.current === 0) {
      last.current = Date.now();
      return;
    }
    const wait = Math.max(0, last.current + ms - Date.now());
    const t = setTimeout(() => {
      last.current = Date.now();
      setN((x) => x + 1);
    }, wait);
    return () => clearTimeout(t);
  }, [value]);
  return n;
}
