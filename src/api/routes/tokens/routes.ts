// /v1/tokens/{id}: revoke an API token; it is refused from the next request on.
import { createRoute } from '@hono/zod-openapi';
import { bearer, commonErrors, errorResponses, idParam } from '../../schemas/common';

export const revoke = createRoute({
  method: 'delete',
  path: '/v1/tokens/{id}',
  operationId: 'revokeToken',
  tags: ['users'],
  summary: 'Revoke an API token (admins: any; operators: their own); revoking twice is no error',
  security: bearer,
  request: { params: idParam },
  responses: { 204: { description: 'Revoked' }, ...commonErrors, 404: errorResponses[404] },
});

export type RevokeRoute = typeof revoke;
