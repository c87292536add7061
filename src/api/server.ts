// Serves the app with @hono/node-server: over https when the configuration names a certificate.
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import type { ApiDeps } from './context';

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

/** In-flight requests get this long to finish when the API stops. */
const STOP_GRACE_MS = 5_000;

export async function startApi(deps: ApiDeps & { port: number; host: string }): Promise<RunningApi> {
  const { port, host, ...appDeps } = deps;
  const app = createApp(appDeps);
  let server: ReturnType<typeof serve> | undefined;
  const info = await new Promise<AddressInfo>((resolve, reject) => {
    const tls = appDeps.config.tls;
    server = tls
      ? serve({ fetch: app.fetch, port, hostname: host, createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key } }, resolve)
      : serve({ fetch: app.fetch, port, hostname: host }, resolve);
    server.once('error', reject);
  });
  const running = server as ReturnType<typeof serve>;
  const shownHost = info.address.includes(':') ? `[${info.address}]` : info.address;
  return {
    url: `${appDeps.config.tls ? 'https' : 'http'}://${shownHost}:${info.port}`,
    async stop() {
      const http = running as ReturnType<typeof serve> & { closeIdleConnections?(): void; closeAllConnections?(): void };
      const force = setTimeout(() => http.closeAllConnections?.(), STOP_GRACE_MS);
      force.unref();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections?.();
      });
      clearTimeout(force);
    },
  };
}
