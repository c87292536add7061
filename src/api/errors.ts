// The one error shape, `{error: {code, message, details?}}`, and how every failure becomes it: thrown
// DomainErrors (src/domain/errors.ts), zod validation failures, unknown routes, and anything unexpected
// (a logged 500). Handlers throw; only handleError maps.
import type { Hook } from '@hono/zod-openapi';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../domain/errors';
import type { AppEnv } from './context';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: unknown): Response {
  return c.json(errorBody(code, message, details), status);
}

const LOCATIONS: Record<string, string> = { json: 'body', query: 'query', param: 'path', header: 'header' };

/** zod failures of any request part: 400 validation_error naming each bad field. */
export const validationHook: Hook<unknown, AppEnv, string, Response | undefined> = (result, c) => {
  if (result.success) return undefined;
  const where = LOCATIONS[result.target] ?? result.target;
  const details = result.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  const first = details[0];
  return errorResponse(c, 400, 'validation_error', first ? `${first.path}: ${first.message}` : 'invalid request', details);
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`);

/** The one place a thrown DomainError becomes its response (with Retry-After when it says when to retry). */
export const handleError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof DomainError) {
    if (err.retryAfterSec !== undefined) c.header('Retry-After', String(err.retryAfterSec));
    return errorResponse(c, err.status, err.code, err.message, err.details);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code =
      err.status === 413 ? 'payload_too_large' : err.status === 400 ? (/json/i.test(err.message) ? 'invalid_json' : 'bad_request') : 'http_error';
    return errorResponse(c, err.status, code, err.message || 'bad request');
  }
  c.var.deps.logger.error({ err, method: c.req.method, path: c.req.path }, 'request failed');
  return errorResponse(c, 500, 'internal', 'internal error');
};
