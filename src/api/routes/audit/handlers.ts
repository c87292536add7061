// The audit log as the API shows it; operators are limited to entries they made themselves.
import { listAudit } from '../../../db/queries/audit';
import type { AuditRow } from '../../../db/schema';
import type { AppRouteHandler } from '../../context';
import { seesAll } from '../../ownership';
import { iso } from '../../schemas/common';
import { decodeTimeCursorOrFail } from '../cursor';
import type { AuditEntryJson, ListRoute } from './routes';

function toAuditJson(r: AuditRow): AuditEntryJson {
  return {
    id: r.id,
    at: iso(r.createdAt),
    actor: { id: r.actorId, name: r.actorName, tokenId: r.tokenId },
    action: r.action,
    resource: { type: r.resourceType, id: r.resourceId },
    request: { method: r.method, path: r.path, status: r.status, clientIp: r.clientIp },
    details: r.details,
  };
}

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const principal = c.var.principal;
  const q = c.req.valid('query');
  const after = decodeTimeCursorOrFail(q.cursor);
  // An operator asking for someone else's entries gets an empty page, as for an actor with none.
  if (!seesAll(principal) && q.actor !== undefined && q.actor !== principal.id) return c.json({ items: [], nextCursor: null }, 200);
  const page = await listAudit(c.var.deps.db.orm, {
    actorId: seesAll(principal) ? q.actor : principal.id,
    action: q.action,
    resourceType: q.resource,
    resourceId: q.resourceId,
    since: q.since === undefined ? undefined : new Date(q.since),
    after,
    limit: q.limit,
  });
  return c.json({ items: page.items.map(toAuditJson), nextCursor: page.nextCursor }, 200);
};
