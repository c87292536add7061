// Target preview: the same resolution and owner scope as a batch start, without starting anything.
import { resolveTargets } from '../../../db/queries/batches';
import type { AppRouteHandler } from '../../context';
import { scopeOf } from '../../ownership';
import { PREVIEW_SAMPLE, type PreviewRoute } from './routes';

export const preview: AppRouteHandler<PreviewRoute> = async (c) => {
  const q = c.req.valid('query');
  const { db, config } = c.var.deps;
  const resolved = await resolveTargets(db.orm, { deviceIds: q.deviceId, groupIds: q.groupId, tags: q.tag }, scopeOf(c.var.principal));
  return c.json(
    {
      matched: resolved.targets.length,
      limit: config.maxTargets,
      devices: resolved.targets.slice(0, PREVIEW_SAMPLE),
      unknownDeviceIds: resolved.unknownDeviceIds,
      unknownGroupIds: resolved.unknownGroupIds,
    },
    200,
  );
};
