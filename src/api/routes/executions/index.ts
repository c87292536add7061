import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const executionsRouter = createRouter().openapi(routes.list, handlers.list).openapi(routes.get, handlers.get);
