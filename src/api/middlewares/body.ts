// Request bodies: a size limit, JSON only (415 otherwise), and malformed JSON answered 400
// invalid_json before any route runs. The parsed body is cached for the route's validator.
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { errorResponse } from '../errors';

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;.*)?$/i;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => errorResponse(c, 413, 'payload_too_large', `the body must be at most ${maxBytes} bytes`),
  });
}

export function requireJsonBody(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!WITH_BODY.has(c.req.method) || c.req.raw.body === null) return next();
    // An empty POST (e.g. `curl -X POST .../cancel`) has no body to check; routes that need one
    // answer with their own validation. The body was already bounded by limitBody.
    if ((await c.req.text()).trim() === '') return next();
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      return errorResponse(c, 415, 'unsupported_media_type', 'send the body as application/json');
    }
    try {
      await c.req.json();
    } catch {
      return errorResponse(c, 400, 'invalid_json', 'the body is not valid JSON');
    }
    await next();
  });
}
