import { createRouter } from '../router';
import * as control from './control-handlers';
import * as controlRoutes from './control-routes';
import * as handlers from './handlers';
import * as routes from './routes';
import { retry } from './retry-handler';
import * as retryRoutes from './retry-routes';

export const batchesRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(controlRoutes.cancel, control.cancel)
  .openapi(controlRoutes.pause, control.pause)
  .openapi(controlRoutes.resume, control.resume)
  .openapi(retryRoutes.retry, retry)
  .openapi(routes.remove, handlers.remove);
