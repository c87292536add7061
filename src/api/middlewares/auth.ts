// Bearer-token authentication. The bootstrap admin token from configuration makes the caller the
// admin principal; any other token is looked up by its sha256 hash among live API tokens (not
// revoked, user not disabled) and compared in constant time. No cache: a revoked token is refused on
// the very next request. Public paths (health, the OpenAPI document) need no token.
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../../db/client';
import { findLiveToken, touchToken } from '../../db/queries/users';
import { BOOTSTRAP_ADMIN_ID } from '../../domain/roles';
import { hashToken, tokenMatches } from '../../security/secrets';
import type { AppEnv, Principal } from '../context';
import { errorResponse } from '../errors';
import { bearerToken } from './bearer';

export const BOOTSTRAP_ADMIN: Principal = { id: BOOTSTRAP_ADMIN_ID, name: 'admin', role: 'admin', tokenId: null };

export function authenticate(opts: { adminToken: string | undefined; publicPaths: readonly string[] }): MiddlewareHandler<AppEnv> {
  const adminHash = opts.adminToken === undefined ? undefined : hashToken(opts.adminToken);
  const publicPaths = new Set(opts.publicPaths);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'GET' && publicPaths.has(c.req.path)) return next();
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      c.header('WWW-Authenticate', 'Bearer');
      return errorResponse(c, 401, 'unauthorized', 'send Authorization: Bearer <token>');
    }
    const principal = await principalOf(c.var.deps.db.orm, token, adminHash);
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return errorResponse(c, 401, 'unauthorized', 'the bearer token is not valid');
    }
    c.set('principal', principal);
    await next();
  });
}

async function principalOf(db: Database, token: string, adminHash: string | undefined): Promise<Principal | undefined> {
  if (adminHash !== undefined && tokenMatches(token, adminHash)) return BOOTSTRAP_ADMIN;
  const found = await findLiveToken(db, hashToken(token));
  if (!found || !tokenMatches(token, found.tokenHash)) return undefined;
  await touchToken(db, found.tokenId);
  return { id: found.userId, name: found.name, role: found.role, tokenId: found.tokenId };
}
