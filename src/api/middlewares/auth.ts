// Bearer-token authentication. The admin token is compared by hash in constant time; a match makes
// the caller the admin principal. Public paths (health, the OpenAPI document) need no token.
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import { hashToken, tokenMatches } from '../../security/secrets';
import type { AppEnv, Principal } from '../context';
import { errorResponse } from '../errors';

const ADMIN: Principal = { id: 'admin', role: 'admin' };

export function authenticate(opts: { adminToken: string | undefined; publicPaths: readonly string[] }): MiddlewareHandler<AppEnv> {
  const adminHash = opts.adminToken === undefined ? undefined : hashToken(opts.adminToken);
  const publicPaths = new Set(opts.publicPaths);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'GET' && publicPaths.has(c.req.path)) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match?.[1];
    if (!token) {
      c.header('WWW-Authenticate', 'Bearer');
      return errorResponse(c, 401, 'unauthorized', 'send Authorization: Bearer <token>');
    }
    if (adminHash === undefined || !tokenMatches(token, adminHash)) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return errorResponse(c, 401, 'unauthorized', 'the bearer token is not valid');
    }
    c.set('principal', ADMIN);
    await next();
  });
}
