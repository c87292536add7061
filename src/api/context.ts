// What every request handler can reach through the Hono context: the dependencies handed to
// createApp and the authenticated principal. Nothing is imported as a singleton.
import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { ServerConfig } from '../config';
import type { DatabaseHandle } from '../db/client';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Role } from '../domain/roles';

export interface ApiDeps {
  db: DatabaseHandle;
  temporal: Client;
  config: ServerConfig;
  logger: Logger;
  /** The process's metrics registry (a fresh one when not given). */
  metrics?: Metrics;
}

/**
 * Who is calling: a user of an API token, or the bootstrap admin (id `admin`, no token id). Rows
 * record `id` as their owner; see ./ownership for who sees and changes what.
 */
export interface Principal {
  id: string;
  name: string;
  role: Role;
  /** The API token used; null for the bootstrap admin token from configuration. */
  tokenId: string | null;
}

/** What a handler tells the audit log about its write, beyond what the request itself shows. */
export interface AuditNote {
  action?: string;
  resourceType?: string;
  resourceId?: string;
  /** Command text, targets and the like; never env values or tokens. */
  details?: Record<string, unknown>;
}

export interface AppEnv {
  Variables: {
    deps: ApiDeps;
    principal: Principal;
    audit: AuditNote | undefined;
  };
}

export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
