// The Hono app: middlewares in order (deps, logging, metrics, auth, read-only roles, rate, body limits, JSON, audit), the /v1 routes, the
// OpenAPI document generated from the same schemas, and the one error shape for every failure.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { except } from 'hono/combine';
import { createMetrics } from '../metrics';
import type { ApiDeps, AppEnv } from './context';
import { handleError, handleNotFound } from './errors';
import { authenticate } from './middlewares/auth';
import { recordWrites } from './middlewares/audit';
import { limitBody, requireJsonBody } from './middlewares/body';
import { provideDeps } from './middlewares/deps';
import { forbidReadOnlyWrites } from './middlewares/read-only';
import { countRequests, METRICS_PATH, serveMetrics } from './middlewares/metrics';
import { limitRequestRate } from './middlewares/rate-limit';
import { logRequests } from './middlewares/request-logger';
import { auditRouter } from './routes/audit';
import { batchEventsRouter } from './routes/batch-events';
import { batchExportRouter } from './routes/batch-export';
import { batchesRouter } from './routes/batches';
import { devicesRouter } from './routes/devices';
import { createAgentInstallRouter } from './routes/agent-install';
import { createEnrollRouter } from './routes/enroll';
import { enrollmentKeysRouter } from './routes/enrollment-keys';
import { executionsRouter } from './routes/executions';
import { batchOutcomesRouter } from './routes/batch-outcomes';
import { FILES_PATH, filesRouter } from './routes/files';
import { groupsRouter } from './routes/groups';
import { healthRouter } from './routes/health';
import { REFERENCE_PATHS, referenceRouter } from './routes/reference';
import { schedulesRouter } from './routes/schedules';
import { createRouter } from './routes/router';
import { tokensRouter } from './routes/tokens';
import { usersRouter } from './routes/users';
import { targetsRouter } from './routes/targets';
import { consoleFiles, consoleRouter, consoleSignInRouter, SESSION_PATH } from '../console/server';

export const OPENAPI_PATH = '/v1/openapi.json';
const HEALTH_PATH = '/v1/health';

export function createApp(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const metrics = deps.metrics ?? createMetrics();
  app.use('*', provideDeps({ ...deps, metrics }));
  app.use('*', logRequests());
  app.use('*', countRequests(metrics));
  app.get(METRICS_PATH, serveMetrics(metrics));
  // The web console: its files at /, and sign-in, which comes before authentication.
  app.route('/', consoleFiles());
  app.use(SESSION_PATH, limitBody(deps.config.maxBodyBytes));
  app.use(SESSION_PATH, recordWrites({ trustProxy: deps.config.trustProxy }));
  app.route('/', consoleSignInRouter);
  // Before authentication: the enrollment key in the body is the credential.
  app.route('/', createEnrollRouter());
  app.route('/', createAgentInstallRouter());
  app.use('/v1/*', authenticate({ adminToken: deps.config.adminToken, publicPaths: [HEALTH_PATH, OPENAPI_PATH, ...REFERENCE_PATHS] }));
  app.use('/v1/*', forbidReadOnlyWrites());
  app.use('/v1/*', limitRequestRate(deps.config.rateLimitRps));
  // File uploads stream their own body under FLOTILLA_MAX_FILE_BYTES; every other body is small JSON.
  app.use('/v1/*', except(FILES_PATH, limitBody(deps.config.maxBodyBytes)));
  app.use('/v1/*', except(FILES_PATH, requireJsonBody()));
  app.use('/v1/*', recordWrites({ trustProxy: deps.config.trustProxy }));

  app.route('/', healthRouter);
  app.route('/', devicesRouter);
  app.route('/', groupsRouter);
  app.route('/', batchesRouter);
  app.route('/', batchEventsRouter);
  app.route('/', batchExportRouter);
  app.route('/', executionsRouter);
  app.route('/', batchOutcomesRouter);
  app.route('/', usersRouter);
  app.route('/', tokensRouter);
  app.route('/', auditRouter);
  app.route('/', schedulesRouter);
  app.route('/', filesRouter);
  app.route('/', enrollmentKeysRouter);
  app.route('/', referenceRouter(OPENAPI_PATH));
  app.route('/', targetsRouter);
  app.route('/', consoleRouter);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'an API token (POST /v1/users, POST /v1/users/{id}/tokens) or the bootstrap FLOTILLA_ADMIN_TOKEN',
  });
  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'Flotilla API',
      version: '1',
      description: 'Run shell commands on fleets of devices, durably, on Temporal. Errors are {error: {code, message, details?}}.',
    },
  });
  app.notFound(handleNotFound);
  app.onError(handleError);
  return app;
}
