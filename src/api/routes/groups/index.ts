import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const groupsRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.setDevices, handlers.setDevices)
  .openapi(routes.remove, handlers.remove);
