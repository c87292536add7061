// Every router validates with the same hook, so any bad request part answers the one error shape.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
}
