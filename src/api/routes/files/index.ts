import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export { FILES_PATH } from './routes';

export const filesRouter = createRouter()
  .openapi(routes.upload, handlers.upload)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.remove, handlers.remove);
