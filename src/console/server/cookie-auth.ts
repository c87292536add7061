// A request without a bearer token may carry the console's session cookie: its session stands for
// the API token it signed in with, judged afresh on every request (a revoked token or disabled user
// ends it). Writes must also carry the session's CSRF token in X-CSRF-Token.
import type { Context } from 'hono';
import { findConsoleSession } from '../../db/queries/console-sessions';
import type { AppEnv, Principal } from '../../api/context';
import { errorResponse } from '../../api/errors';
import { READ_METHODS } from '../../api/middlewares/read-only';
import { principalOfTokenHash } from '../../api/middlewares/principal';
import { hashToken } from '../../security/secrets';
import { CSRF_HEADER, csrfMatches, sessionIdOf } from './session-cookie';

/** The principal of the session cookie; a 403 answer for a write without its CSRF token; undefined without a live session. */
export async function consoleSessionPrincipal(c: Context<AppEnv>, adminHash: string | undefined): Promise<Principal | Response | undefined> {
  const sessionId = sessionIdOf(c);
  if (sessionId === undefined) return undefined;
  const db = c.var.deps.db.orm;
  const session = await findConsoleSession(db, hashToken(sessionId));
  if (!session) return undefined;
  const principal = await principalOfTokenHash(db, session.tokenHash, adminHash);
  if (!principal) return undefined;
  if (!READ_METHODS.has(c.req.method) && !csrfMatches(sessionId, c.req.header(CSRF_HEADER))) {
    return errorResponse(c, 403, 'csrf_failed', `a write signed in by cookie must send the session's CSRF token in ${CSRF_HEADER}`);
  }
  return principal;
}
