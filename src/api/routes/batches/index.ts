import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const batchesRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.cancel, handlers.cancel)
  .openapi(routes.remove, handlers.remove);
