// The audit log, for every route, including routes added later: after each successful write
// (any method but GET/HEAD/OPTIONS answering 2xx/3xx), one row says who (user, token), what
// (action, resource type and id), when, from where, and whatever the handler attached with
// c.set('audit', {...}) (command text and targets for batch starts). Never env values or tokens.
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { appendAudit, type NewAuditEntry } from '../../db/queries/audit';
import { clientIp } from '../client-ip';
import type { AppEnv, AuditNote, Principal } from '../context';
import { READ_METHODS } from './read-only';

/** `batches` -> `batch`, `devices` -> `device`: resource types are singular. */
export function singular(plural: string): string {
  if (/(ch|sh|ss|x)es$/.test(plural)) return plural.slice(0, -2);
  return plural.endsWith('s') ? plural.slice(0, -1) : plural;
}

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

/** What the request path says: /v1/batches/ID/cancel is batch ID, action batch.cancel. */
export function describePath(method: string, path: string): Required<Pick<AuditNote, 'action' | 'resourceType'>> & { resourceId?: string } {
  const [collection = 'unknown', id, sub] = path.replace(/^\/v1\//, '').split('/');
  const resourceType = singular(collection);
  const verb = sub ?? (method === 'POST' && id !== undefined ? 'update' : (VERBS[method] ?? method.toLowerCase()));
  return { action: `${resourceType}.${verb}`, resourceType, ...(id === undefined ? {} : { resourceId: id }) };
}

/** The id a create answered with: `{device: {id}}`, `{batchId}` or `{id}`. */
async function createdId(res: Response, resourceType: string): Promise<string | undefined> {
  if (!/json/i.test(res.headers.get('content-type') ?? '')) return undefined;
  try {
    const body = (await res.clone().json()) as Record<string, unknown>;
    const nested = body[resourceType] as { id?: unknown } | undefined;
    const id = nested?.id ?? body[`${resourceType}Id`] ?? body.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

async function entryFor(c: Context<AppEnv>, principal: Principal, trustProxy: boolean): Promise<NewAuditEntry> {
  const fromPath = describePath(c.req.method, c.req.path);
  const note = c.get('audit');
  const resourceType = note?.resourceType ?? fromPath.resourceType;
  return {
    id: randomUUID(),
    actorId: principal.id,
    actorName: principal.name,
    tokenId: principal.tokenId,
    action: note?.action ?? fromPath.action,
    resourceType,
    resourceId: note?.resourceId ?? fromPath.resourceId ?? (await createdId(c.res, resourceType)) ?? null,
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    clientIp: clientIp(c, trustProxy),
    details: note?.details ?? null,
  };
}

export function recordWrites(opts: { trustProxy: boolean }): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const principal = c.get('principal') as Principal | undefined;
    if (!principal || READ_METHODS.has(c.req.method) || c.res.status >= 400) return;
    const { db, logger } = c.var.deps;
    try {
      await appendAudit(db.orm, await entryFor(c, principal, opts.trustProxy));
    } catch (err) {
      // The write itself happened; losing its audit row is logged loudly rather than answered as a failure.
      logger.error({ err, method: c.req.method, path: c.req.path }, 'could not append to the audit log');
    }
  });
}
