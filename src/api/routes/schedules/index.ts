import { createRouter } from '../router';
import * as controls from './controls';
import * as handlers from './handlers';
import * as routes from './routes';

export const schedulesRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.pause, controls.pause)
  .openapi(routes.resume, controls.resume)
  .openapi(routes.trigger, controls.trigger)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.runs, handlers.runs);
