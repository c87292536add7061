import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const enrollmentKeysRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.revoke, handlers.revoke);
