// Export formats of a batch's results and the fields each row has. Pure values.

export const EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
};

/** One exported device result; the CSV columns, in this order. */
export const EXPORT_COLUMNS = [
  'seq',
  'deviceId',
  'deviceName',
  'status',
  'exitCode',
  'dispatchedAt',
  'startedAt',
  'completedAt',
  'durationMs',
  'truncated',
  'error',
  'stdout',
  'stderr',
] as const;
