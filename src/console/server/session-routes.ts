// /v1/session: the web console signs in with an API token and gets an HttpOnly session cookie plus
// the CSRF token its writes carry; GET tells who is signed in (and the CSRF token again, after a
// reload); DELETE signs out.
import { createRoute, z } from '@hono/zod-openapi';
import { roleSchema } from '../../api/schemas/user';
import { commonErrors, jsonBody, jsonContent, timestamp } from '../../api/schemas/common';

export const SESSION_PATH = '/v1/session';
const tags = ['console'];

export const signInBody = z.object({ token: z.string().min(1).max(512) }).strict().openapi('SignIn');

export const sessionSchema = z
  .object({
    principal: z.object({ id: z.string(), name: z.string(), role: roleSchema }).openapi({ description: 'who the token belongs to' }),
    csrfToken: z.string().openapi({ description: 'send it in X-CSRF-Token with every write authenticated by the cookie' }),
    expiresAt: timestamp.openapi({ description: 'the session ends then; sign in again after' }),
  })
  .openapi('ConsoleSession');

export const signIn = createRoute({
  method: 'post',
  path: SESSION_PATH,
  operationId: 'createSession',
  tags,
  summary: 'Sign in to the web console with an API token: sets an HttpOnly, SameSite=Strict session cookie',
  request: { body: jsonBody(signInBody, 'The API token') },
  responses: { 201: jsonContent(sessionSchema, 'Signed in'), ...commonErrors },
});

export const current = createRoute({
  method: 'get',
  path: SESSION_PATH,
  operationId: 'getSession',
  tags,
  summary: "The console session of this request's cookie",
  responses: { 200: jsonContent(sessionSchema, 'Signed in'), ...commonErrors },
});

export const signOut = createRoute({
  method: 'delete',
  path: SESSION_PATH,
  operationId: 'deleteSession',
  tags,
  summary: 'Sign out: the session ends on every API process',
  responses: { 204: { description: 'Signed out' }, ...commonErrors },
});

export type SignInRoute = typeof signIn;
export type CurrentRoute = typeof current;
export type SignOutRoute = typeof signOut;
