// Mounted before authentication: the script is fetched with an enrollment key, the agent file by anyone.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context';
import { limitEnrollRate } from '../enroll/rate-limit';
import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export function createAgentInstallRouter(): OpenAPIHono<AppEnv> {
  const router = createRouter();
  // Each script request checks a key: limited per address like enrollments.
  router.use(routes.INSTALL_PATH, limitEnrollRate());
  return router.openapi(routes.installSh, handlers.installSh).openapi(routes.download, handlers.download);
}
