// Console sign-in, the current session and sign-out. The session row keeps the sha256 of the session
// id and of the API token; neither secret is stored.
import type { AppRouteHandler } from '../../api/context';
import { DomainError } from '../../domain/errors';
import { adminTokenHash, principalOfTokenHash } from '../../api/middlewares/principal';
import { createConsoleSession, deleteConsoleSession, findConsoleSession } from '../../db/queries/console-sessions';
import { hashToken } from '../../security/secrets';
import { clearSessionCookie, CSRF_HEADER, csrfMatches, csrfTokenOf, newSessionId, SESSION_TTL_SEC, sessionIdOf, setSessionCookie } from './session-cookie';
import type { CurrentRoute, SignInRoute, SignOutRoute } from './session-routes';

export const signIn: AppRouteHandler<SignInRoute> = async (c) => {
  const { deps } = c.var;
  const { token } = c.req.valid('json');
  const adminHash = adminTokenHash(deps.config.adminToken);
  const tokenHash = hashToken(token);
  const principal = await principalOfTokenHash(deps.db.orm, tokenHash, adminHash);
  if (!principal) throw new DomainError(401, 'unauthorized', 'the token is not valid');
  const sessionId = newSessionId();
  const expiresAt = new Date(Date.now() + SESSION_TTL_SEC * 1000);
  await createConsoleSession(deps.db.orm, { idHash: hashToken(sessionId), tokenHash, expiresAt });
  setSessionCookie(c, sessionId, deps.config.tls !== undefined);
  // Audited like any write (the audit middleware runs around this route), in the signed-in user's name.
  c.set('principal', principal);
  c.set('audit', { action: 'session.sign_in', resourceType: 'session', resourceId: principal.tokenId ?? principal.id });
  const { id, name, role } = principal;
  return c.json({ principal: { id, name, role }, csrfToken: csrfTokenOf(sessionId), expiresAt: expiresAt.toISOString() }, 201);
};

export const current: AppRouteHandler<CurrentRoute> = async (c) => {
  const sessionId = sessionIdOf(c);
  const session = sessionId === undefined ? undefined : await findConsoleSession(c.var.deps.db.orm, hashToken(sessionId));
  if (sessionId === undefined || !session) throw new DomainError(401, 'unauthorized', 'no console session: sign in with POST /v1/session');
  const { id, name, role } = c.var.principal;
  return c.json({ principal: { id, name, role }, csrfToken: csrfTokenOf(sessionId), expiresAt: session.expiresAt.toISOString() }, 200);
};

/**
 * Comes before authentication, so that any role (auditors write nothing else) and an already
 * revoked token can sign out; the CSRF token keeps other sites from signing a user out.
 */
export const signOut: AppRouteHandler<SignOutRoute> = async (c) => {
  const sessionId = sessionIdOf(c);
  if (sessionId !== undefined) {
    if (!csrfMatches(sessionId, c.req.header(CSRF_HEADER))) throw new DomainError(403, 'csrf_failed', `send the session's CSRF token in ${CSRF_HEADER}`);
    const { db, config } = c.var.deps;
    const session = await findConsoleSession(db.orm, hashToken(sessionId));
    const adminHash = adminTokenHash(config.adminToken);
    const principal = session && (await principalOfTokenHash(db.orm, session.tokenHash, adminHash));
    await deleteConsoleSession(db.orm, hashToken(sessionId));
    if (principal) {
      c.set('principal', principal);
      c.set('audit', { action: 'session.sign_out', resourceType: 'session', resourceId: principal.tokenId ?? principal.id });
    }
  }
  clearSessionCookie(c, c.var.deps.config.tls !== undefined);
  return c.body(null, 204);
};
