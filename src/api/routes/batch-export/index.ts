import { createRouter } from '../router';
import * as handlers from './handlers';
import * as routes from './routes';

export const batchExportRouter = createRouter().openapi(routes.exportRoute, handlers.exportResults);
