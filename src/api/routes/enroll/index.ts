// Mounted before authentication (the key is the credential), so it brings its own rate and body limits.
import { createMiddleware } from 'hono/factory';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context';
import { limitBody } from '../../middlewares/body';
import { createRouter } from '../router';
import * as handlers from './handlers';
import { limitEnrollRate } from './rate-limit';
import * as routes from './routes';

export function createEnrollRouter(): OpenAPIHono<AppEnv> {
  const router = createRouter();
  router.use(routes.ENROLL_PATH, limitEnrollRate());
  router.use(
    routes.ENROLL_PATH,
    createMiddleware<AppEnv>((c, next) => limitBody(c.var.deps.config.maxBodyBytes)(c, next)),
  );
  return router.openapi(routes.enroll, handlers.enroll);
}
