// Export formats of a batch's results and the fields each row has. Pure values.

/** One row per device (csv, json, ndjson), or one row per outcome group (groups: CSV, groups-json). */
export const EXPORT_FORMATS = ['csv', 'json', 'ndjson', 'groups', 'groups-json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type DeviceExportFormat = Exclude<ExportFormat, 'groups' | 'groups-json'>;

export const isGroupExport = (f: ExportFormat): f is 'groups' | 'groups-json' => f === 'groups' || f === 'groups-json';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  groups: 'text/csv; charset=utf-8',
  'groups-json': 'application/json',
};

export const EXPORT_FILE_SUFFIXES: Record<ExportFormat, string> = {
  csv: 'csv',
  json: 'json',
  ndjson: 'ndjson',
  groups: 'groups.csv',
  'groups-json': 'groups.json',
};

/** One exported outcome group; the CSV columns, in this order. */
export const GROUP_EXPORT_COLUMNS = ['key', 'status', 'exitCode', 'count', 'truncated', 'stdoutSample', 'stderrSample', 'firstDeviceIds'] as const;

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
