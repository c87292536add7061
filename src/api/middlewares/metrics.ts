// Counts every request and times it, labelled with the matched route PATTERN (/v1/batches/:id), never
// the concrete path, so the label stays bounded; also serves GET /metrics (no token: see docs/operating.md).
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { MiddlewareHandler } from 'hono';
import type { Metrics } from '../../metrics';
import type { AppEnv } from '../context';

export const METRICS_PATH = '/metrics';

export function countRequests(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    // The last route matched: the handler's pattern, or a middleware's ('/v1/*') when none matched.
    const route = routePath(c, -1);
    const method = c.req.method;
    metrics.httpRequests.inc({ method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method, route }, (performance.now() - started) / 1000);
  });
}

export function serveMetrics(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c) => c.body(await metrics.scrape(), 200, { 'content-type': metrics.registry.contentType }));
}
