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

/** An empty POST (e.g. `curl -X POST .../cancel`) has no body to check. */
function hasBody(req: Request): boolean {
  if (req.body === null) return false;
  const length = req.headers.get('content-length');
  if (length !== null) return Number(length) > 0;
  return req.headers.has('transfer-encoding');
}

export function requireJsonBody(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!WITH_BODY.has(c.req.method) || !hasBody(c.req.raw)) return next();
    const type = c.req.header('content-type') ?? '';
    if (!JSON_TYPE.test(type)) {
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
