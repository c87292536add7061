import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const healthRouter = createRouter().openapi(routes.health, handlers.health);
