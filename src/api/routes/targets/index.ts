import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const targetsRouter = createRouter().openapi(routes.preview, handlers.preview);
