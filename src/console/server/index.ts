// The web console's server side: its files at `/`, sign-in before authentication, and the session
// and settings routes behind it.
import { createRouter } from '../../api/routes/router';
import * as session from './session-handlers';
import * as sessionRoutes from './session-routes';
import { settings, settingsRoute } from './settings';

export { consoleFiles, CONSOLE_DIST, CONTENT_SECURITY_POLICY } from './static-files';
export { consoleSessionPrincipal } from './cookie-auth';
export { SESSION_PATH } from './session-routes';

/** Mounted before authentication: signing in is how a console gets its session; anyone may sign out. */
export const consoleSignInRouter = createRouter().openapi(sessionRoutes.signIn, session.signIn).openapi(sessionRoutes.signOut, session.signOut);

export const consoleRouter = createRouter()
  .openapi(sessionRoutes.current, session.current)
  .openapi(settingsRoute, settings);
