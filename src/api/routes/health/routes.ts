// /v1/health: is the API up, and can it reach its database and Temporal? No token needed.
import { createRoute, z } from '@hono/zod-openapi';
import { jsonContent } from '../../schemas/common';

const check = z.enum(['ok', 'error']);

export const healthSchema = z
  .object({
    status: check.openapi({ description: 'ok when every part answers' }),
    api: z.literal('ok').openapi({ description: 'this process answers' }),
    database: check.openapi({ description: 'PostgreSQL answers' }),
    temporal: check.openapi({ description: 'the Temporal frontend answers' }),
  })
  .openapi('Health');

export const health = createRoute({
  method: 'get',
  path: '/v1/health',
  operationId: 'getHealth',
  tags: ['health'],
  summary: 'Health of the API, the database and Temporal',
  responses: {
    200: jsonContent(healthSchema, 'Everything answers'),
    503: jsonContent(healthSchema, 'The database or Temporal does not answer'),
  },
});

export type HealthRoute = typeof health;
