// Roles that may not write (auditors) get 403 forbidden on every method that could change something,
// for every route, including routes added later: no handler has to remember.
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import { mayWrite } from '../../domain/roles';
import type { AppEnv } from '../context';
import { DomainError } from '../../domain/errors';

export const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function forbidReadOnlyWrites(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
    if (principal && !READ_METHODS.has(c.req.method) && !mayWrite(principal.role)) {
      throw new DomainError(403, 'forbidden', `the ${principal.role} role may read but not change anything`);
    }
    await next();
  });
}
