import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const batchOutcomesRouter = createRouter().openapi(routes.list, handlers.list);
