// The console's session cookie and its CSRF token. The cookie holds a random session id (HttpOnly,
// SameSite=Strict, Secure over TLS); the server keeps only its sha256. The CSRF token is an HMAC of
// the session id, so the server recomputes it instead of storing it, and a page of another origin,
// which can neither read the cookie nor our answers, cannot produce it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'flotilla_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A sign-in lasts this long; then the console asks for the token again. */
export const SESSION_TTL_SEC = 12 * 3600;

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export function csrfTokenOf(sessionId: string): string {
  return createHmac('sha256', sessionId).update('flotilla-console-csrf').digest('base64url');
}

export function csrfMatches(sessionId: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(csrfTokenOf(sessionId));
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sessionIdOf(c: Context): string | undefined {
  const id = getCookie(c, SESSION_COOKIE);
  return id && /^[A-Za-z0-9_-]{43}$/.test(id) ? id : undefined;
}

export function setSessionCookie(c: Context, sessionId: string, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'Strict', secure, path: '/', maxAge: SESSION_TTL_SEC });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Strict', secure, path: '/' });
}
