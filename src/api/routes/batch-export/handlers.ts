// The export handler: an unknown or hidden batch is a 404 before anything streams.
import { exportBatch } from '../../../batches/export';
import { exportGroups } from '../../../batches/export-groups';
import { EXPORT_CONTENT_TYPES, EXPORT_FILE_SUFFIXES, isGroupExport } from '../../../domain/export';
import { getBatch } from '../../../db/queries/batches';
import type { AppRouteHandler } from '../../context';
import { notFound } from '../../../domain/errors';
import { scopeOf } from '../../ownership';
import type { ExportRoute } from './routes';

export const exportResults: AppRouteHandler<ExportRoute> = async (c) => {
  const { db } = c.var.deps;
  const { id } = c.req.valid('param');
  const { format, normalize } = c.req.valid('query');
  if (!(await getBatch(db.orm, id, scopeOf(c.var.principal)))) throw notFound('batch', id);
  const body = isGroupExport(format) ? exportGroups(db.orm, id, format, normalize) : exportBatch(db.orm, id, format);
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': EXPORT_CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="batch-${id}.${EXPORT_FILE_SUFFIXES[format]}"`,
      'cache-control': 'no-store',
    },
  });
};
