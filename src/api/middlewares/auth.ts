// Bearer-token authentication. The bootstrap admin token from configuration makes the caller the
// admin principal; any other token is looked up by its sha256 hash among live API tokens (not
// revoked, user not disabled) and compared in constant time. No cache: a revoked token is refused on
// the very next request. Public paths (health, the OpenAPI document) need no token. Without a bearer
// token, the web console's session cookie stands for the token it signed in with (../../console/server).
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import { consoleSessionPrincipal } from '../../console/server/cookie-auth';
import { hashToken } from '../../security/secrets';
import type { AppEnv } from '../context';
import { errorResponse } from '../errors';
import { bearerToken } from './bearer';
import { adminTokenHash, principalOfTokenHash } from './principal';

export { BOOTSTRAP_ADMIN } from './principal';

export function authenticate(opts: { adminToken: string | undefined; publicPaths: readonly string[] }): MiddlewareHandler<AppEnv> {
  const adminHash = adminTokenHash(opts.adminToken);
  const publicPaths = new Set(opts.publicPaths);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'GET' && publicPaths.has(c.req.path)) return next();
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      const fromCookie = await consoleSessionPrincipal(c, adminHash);
      if (fromCookie instanceof Response) return fromCookie;
      if (fromCookie) {
        c.set('principal', fromCookie);
        return next();
      }
      c.header('WWW-Authenticate', 'Bearer');
      return errorResponse(c, 401, 'unauthorized', 'send Authorization: Bearer <token>');
    }
    const principal = await principalOfTokenHash(c.var.deps.db.orm, hashToken(token), adminHash);
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return errorResponse(c, 401, 'unauthorized', 'the bearer token is not valid');
    }
    c.set('principal', principal);
    await next();
  });
}
