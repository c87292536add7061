// What every request handler can reach through the Hono context: the dependencies handed to
// createApp and the authenticated principal. Nothing is imported as a singleton.
import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { ServerConfig } from '../config';
import type { DatabaseHandle } from '../db/client';
import type { Logger } from '../logger';
import { presenceWindowMs as devicePresenceWindowMs } from '../domain/presence';

export interface ApiDeps {
  db: DatabaseHandle;
  temporal: Client;
  config: ServerConfig;
  logger: Logger;
}

/** Who is calling. Only the admin exists today; rows record `id` as their owner. */
export interface Principal {
  id: string;
  role: 'admin';
}

export interface AppEnv {
  Variables: {
    deps: ApiDeps;
    principal: Principal;
  };
}

export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/** How long after its last heartbeat a device still counts as online. */
export function presenceWindowMs(config: ServerConfig): number {
  return devicePresenceWindowMs(config.heartbeatMs);
}
