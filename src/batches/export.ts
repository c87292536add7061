// A batch's results as a byte stream in CSV, a JSON array or NDJSON. The stream is pull-based: the
// next page is read from the database only when the client has taken the previous one, so memory
// stays at about one page whatever the batch's size.
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../db/client';
import { exportPage, type ExportRow, type PageLimits } from '../db/queries/batch-export';
import { EXPORT_COLUMNS, type DeviceExportFormat } from '../domain/export';

const DEFAULT_LIMITS: PageLimits = { rows: 200, bytes: 2 * 1024 * 1024 };

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

function toRecord(r: ExportRow): Record<(typeof EXPORT_COLUMNS)[number], unknown> {
  return {
    seq: r.seq,
    deviceId: r.deviceId,
    deviceName: r.deviceName,
    status: r.status,
    exitCode: r.exitCode,
    dispatchedAt: iso(r.dispatchedAt),
    startedAt: iso(r.startedAt),
    completedAt: iso(r.completedAt),
    durationMs: r.startedAt && r.completedAt ? r.completedAt.getTime() - r.startedAt.getTime() : null,
    truncated: r.truncated,
    error: r.error,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

function encodePage(format: DeviceExportFormat, rows: ExportRow[], first: boolean): string {
  const records = rows.map(toRecord);
  if (format === 'csv') {
    return stringify(records, { header: first, columns: [...EXPORT_COLUMNS], cast: { boolean: (b) => String(b) } });
  }
  if (format === 'ndjson') return records.map((r) => `${JSON.stringify(r)}\n`).join('');
  return `${first ? '[' : ','}${records.map((r) => JSON.stringify(r)).join(',')}`;
}

/** Nothing-yet-written formats still produce a valid document for a batch with no rows. */
function encodeEnd(format: DeviceExportFormat, wroteRows: boolean): string {
  if (format === 'csv') return wroteRows ? '' : stringify([], { header: true, columns: [...EXPORT_COLUMNS] });
  if (format === 'json') return wroteRows ? ']\n' : '[]\n';
  return '';
}

export function exportBatch(db: Database, batchId: string, format: DeviceExportFormat, limits: PageLimits = DEFAULT_LIMITS): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterSeq = -1;
  let wroteRows = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const rows = await exportPage(db, batchId, afterSeq, limits);
        if (rows.length === 0) {
          const end = encodeEnd(format, wroteRows);
          if (end !== '') controller.enqueue(encoder.encode(end));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(encodePage(format, rows, !wroteRows)));
        wroteRows = true;
        afterSeq = rows[rows.length - 1]!.seq;
      },
    },
    // One page in flight: the next is read only once this one has been handed on.
    { highWaterMark: 1 },
  );
}
