// GET /v1/console/settings: what the console needs beyond the API: where the Temporal Web UI is, to
// link a batch to its workflow. Known when this process runs the dev server's configuration
// (TEMPORAL_ADDRESS unset); null with an external Temporal.
import { createRoute, z } from '@hono/zod-openapi';
import type { AppRouteHandler } from '../../api/context';
import { bearer, commonErrors, jsonContent } from '../../api/schemas/common';
import type { ServerConfig } from '../../config';

export const settingsSchema = z
  .object({
    temporalUiUrl: z.string().nullable().openapi({ description: "the Temporal Web UI's address when this server knows it (the all-in-one's dev server); null otherwise" }),
    namespace: z.string().openapi({ description: 'the Temporal namespace batches run in' }),
  })
  .openapi('ConsoleSettings');

export type ConsoleSettings = z.infer<typeof settingsSchema>;

export const settingsRoute = createRoute({
  method: 'get',
  path: '/v1/console/settings',
  operationId: 'getConsoleSettings',
  tags: ['console'],
  summary: "The web console's settings: the Temporal Web UI address",
  security: bearer,
  responses: { 200: jsonContent(settingsSchema, 'Settings'), ...commonErrors },
});

export function consoleSettingsOf(config: ServerConfig): ConsoleSettings {
  const { temporal, publicHost } = config;
  return {
    temporalUiUrl: temporal.address === undefined ? `http://${publicHost}:${temporal.uiPort}` : null,
    namespace: temporal.namespace,
  };
}

export const settings: AppRouteHandler<typeof settingsRoute> = (c) => c.json(consoleSettingsOf(c.var.deps.config), 200);
