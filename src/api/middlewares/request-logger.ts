// One log line per request: method, path, status, duration and who asked. Never headers or bodies.
// Successful reads (clients poll them) log at debug; writes and failures at info, 5xx at warn.
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';

export function logRequests(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round(performance.now() - started),
      principal: c.get('principal')?.id,
    };
    const log = c.var.deps.logger;
    if (status >= 500) log.warn(line, 'request');
    else if (c.req.method === 'GET' && status < 400) log.debug(line, 'request');
    else log.info(line, 'request');
  });
}
