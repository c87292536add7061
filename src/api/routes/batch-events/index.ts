import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const batchEventsRouter = createRouter().openapi(routes.events, handlers.events);
