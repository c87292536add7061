// A batch's outcome groups as a byte stream: CSV (one row per group) or a JSON array, read page by page
// from the key index like GET /v1/batches/:id/outcomes, each page only when the client took the last.
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../db/client';
import { outcomeGroups, type OutcomeGroupCursor, type OutcomeGroupRow } from '../db/queries/outcomes';
import { GROUP_EXPORT_COLUMNS } from '../domain/export';
import { formatOutcomeKey, type OutcomeNormalization } from '../domain/outcome';

const PAGE = 200;
const SAMPLE_BYTES = 4 * 1024;

function toRecord(g: OutcomeGroupRow, normalize: OutcomeNormalization): Record<(typeof GROUP_EXPORT_COLUMNS)[number], unknown> {
  return {
    key: formatOutcomeKey({ normalize, step: null, hash: g.hash }),
    status: g.status,
    exitCode: g.exitCode,
    count: g.count,
    truncated: g.truncated,
    stdoutSample: g.stdoutSample,
    stderrSample: g.stderrSample,
    firstDeviceIds: g.deviceIds.join(' '),
  };
}

export function exportGroups(db: Database, batchId: string, format: 'groups' | 'groups-json', normalize: OutcomeNormalization): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: OutcomeGroupCursor | null = null;
  let first = true;
  let done = false;
  const csv = format === 'groups';
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) {
          if (!csv) controller.enqueue(encoder.encode(first ? '[]\n' : ']\n'));
          else if (first) controller.enqueue(encoder.encode(stringify([], { header: true, columns: [...GROUP_EXPORT_COLUMNS] })));
          controller.close();
          return;
        }
        const page = await outcomeGroups(db, batchId, { normalize, step: null, limit: PAGE, after, sampleBytes: SAMPLE_BYTES });
        const records = page.items.map((g) => toRecord(g, normalize));
        if (records.length > 0) {
          const text = csv
            ? stringify(records, { header: first, columns: [...GROUP_EXPORT_COLUMNS], cast: { boolean: (b) => String(b) } })
            : `${first ? '[' : ','}${records.map((r) => JSON.stringify(r)).join(',')}`;
          controller.enqueue(encoder.encode(text));
          first = false;
        }
        after = page.next;
        done = page.next === null;
      },
    },
    { highWaterMark: 1 },
  );
}
