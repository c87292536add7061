// Serves the app over HTTP with @hono/node-server.
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
    server = serve({ fetch: app.fetch, port, hostname: host }, resolve);
    server.once('error', reject);
  });
  const running = server as ReturnType<typeof serve>;
  const shownHost = info.address.includes(':') ? `[${info.address}]` : info.address;
  return {
    url: `http://${shownHost}:${info.port}`,
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
