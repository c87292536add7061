import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const usersRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.update, handlers.update)
  .openapi(routes.me, handlers.me)
  .openapi(routes.createToken, handlers.createToken)
  .openapi(routes.listTokens, handlers.listTokens);
