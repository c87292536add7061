// GET /v1/batches/{id}/export: every device's result, streamed as CSV, a JSON array or NDJSON.
import { createRoute, z } from '@hono/zod-openapi';
import { normalizeSchema } from '../../schemas/outcome';
import { EXPORT_COLUMNS, EXPORT_CONTENT_TYPES, EXPORT_FORMATS } from '../../../domain/export';
import { bearer, commonErrors, errorResponses, idParam } from '../../schemas/common';

const DOC = [
  'Every device of the batch in target order, streamed page by page from the database (any size, bounded memory).',
  `Columns / fields: ${EXPORT_COLUMNS.join(', ')}; times are ISO-8601, absent values empty (CSV) or null (JSON).`,
  '`csv` (RFC 4180, with a header row), `json` (one array, streamed), `ndjson` (one object per line).',
].join(' ');

const rowSchema = z
  .object({
    seq: z.number().int().openapi({ description: 'position in the target order, from 0' }),
    deviceId: z.uuid(),
    deviceName: z.string(),
    status: z.string(),
    exitCode: z.number().int().nullable(),
    dispatchedAt: z.string().nullable().openapi({ description: 'when the command was handed to the agent' }),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    truncated: z.boolean().openapi({ description: 'the agent kept only the first 1 MiB of an output' }),
    error: z.string().nullable(),
    stdout: z.string().nullable(),
    stderr: z.string().nullable(),
  })
  .openapi('ExportedResult');

export const exportRoute = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/export',
  operationId: 'exportBatch',
  tags: ['batches'],
  summary: "Download every device's result (CSV, JSON or NDJSON), streamed",
  description: DOC,
  security: bearer,
  request: {
    params: idParam,
    query: z.object({
      format: z
        .enum(EXPORT_FORMATS)
        .default('csv')
        .openapi({
          param: { name: 'format', in: 'query' },
          description: `${EXPORT_FORMATS.join(', ')}; default csv. groups (CSV) and groups-json: one row per outcome group instead of per device`,
        }),
      normalize: normalizeSchema,
    }),
  },
  responses: {
    200: {
      description: DOC,
      content: {
        [EXPORT_CONTENT_TYPES.csv]: { schema: z.string() },
        [EXPORT_CONTENT_TYPES.json]: { schema: z.array(rowSchema) },
        [EXPORT_CONTENT_TYPES.ndjson]: { schema: z.string() },
      },
    },
    ...commonErrors,
    404: errorResponses[404],
  },
});

export type ExportRoute = typeof exportRoute;
