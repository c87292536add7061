// /v1/enrollment-keys: keys devices present to enroll themselves (POST /v1/enroll). The key is shown
// once, at creation; only its hash is kept. Admins and operators; operators see and revoke their own.
import { createRoute, z } from '@hono/zod-openapi';
import { bearer, commonErrors, errorResponses, idParam, jsonBody, jsonContent, pageOf, pageQuery, timestamp } from '../../schemas/common';
import { tagsSchema } from '../../schemas/device';

const tags = ['enrollment'];

export const enrollmentKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    owner: z.string().openapi({ description: 'the user whose devices the key enrolls' }),
    tags: z.array(z.string()),
    groupIds: z.array(z.uuid()).openapi({ description: 'groups every device it enrolls joins' }),
    expiresAt: timestamp.nullable().openapi({ description: 'after this it enrolls nothing; null: never expires' }),
    maxUses: z.number().int().nullable().openapi({ description: 'how many enrollments it allows; null: unlimited' }),
    uses: z.number().int().openapi({ description: 'enrollments so far (a machine enrolling again counts again)' }),
    usesLeft: z.number().int().nullable().openapi({ description: 'null when unlimited' }),
    status: z.enum(['active', 'revoked', 'expired', 'used_up']),
    revokedAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .openapi('EnrollmentKey');

export const createEnrollmentKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    tags: tagsSchema.default([]),
    groupIds: z.array(z.uuid()).max(50).default([]).describe('groups every device it enrolls joins (your own groups)'),
    expiresAt: timestamp.optional().describe('after this it enrolls nothing; unset: never expires'),
    maxUses: z.number().int().min(1).max(1_000_000).optional().describe('how many enrollments it allows; unset: unlimited'),
  })
  .strict()
  .openapi('CreateEnrollmentKey');

export const create = createRoute({
  method: 'post',
  path: '/v1/enrollment-keys',
  operationId: 'createEnrollmentKey',
  tags,
  summary: 'Create an enrollment key; the answer carries the key, shown only this once',
  security: bearer,
  request: { body: jsonBody(createEnrollmentKeyBody, 'The new key') },
  responses: {
    201: jsonContent(z.object({ enrollmentKey: enrollmentKeySchema, key: z.string().openapi({ description: 'the key itself, shown only this once' }) }), 'Created'),
    ...commonErrors,
    404: errorResponses[404],
  },
});

export const list = createRoute({
  method: 'get',
  path: '/v1/enrollment-keys',
  operationId: 'listEnrollmentKeys',
  tags,
  summary: 'List enrollment keys, oldest first',
  security: bearer,
  request: { query: z.object(pageQuery) },
  responses: { 200: jsonContent(pageOf(enrollmentKeySchema), 'A page of keys'), ...commonErrors },
});

export const get = createRoute({
  method: 'get',
  path: '/v1/enrollment-keys/{id}',
  operationId: 'getEnrollmentKey',
  tags,
  summary: 'Read an enrollment key (uses left, status)',
  security: bearer,
  request: { params: idParam },
  responses: { 200: jsonContent(z.object({ enrollmentKey: enrollmentKeySchema }), 'The key'), ...commonErrors, 404: errorResponses[404] },
});

export const revoke = createRoute({
  method: 'delete',
  path: '/v1/enrollment-keys/{id}',
  operationId: 'revokeEnrollmentKey',
  tags,
  summary: 'Revoke an enrollment key: it enrolls nothing more (devices it enrolled stay); revoking twice is no error',
  security: bearer,
  request: { params: idParam },
  responses: { 204: { description: 'Revoked' }, ...commonErrors, 404: errorResponses[404] },
});

export type CreateRoute = typeof create;
export type ListRoute = typeof list;
export type GetRoute = typeof get;
export type RevokeRoute = typeof revoke;
