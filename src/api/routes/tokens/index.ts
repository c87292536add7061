import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const tokensRouter = createRouter().openapi(routes.revoke, handlers.revoke);
