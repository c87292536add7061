// Puts the app's dependencies on the context, where handlers and other middlewares find them.
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import type { ApiDeps, AppEnv } from '../context';

export function provideDeps(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set('deps', deps);
    await next();
  });
}
