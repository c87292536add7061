import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const devicesRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.rotateToken, handlers.rotateToken);
