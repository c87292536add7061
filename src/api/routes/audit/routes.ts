// /v1/audit: the audit log, newest first. Admins and auditors see every entry; operators their own.
import { createRoute, z } from '@hono/zod-openapi';
import { bearer, commonErrors, jsonContent, pageOf, pageQuery, timestamp } from '../../schemas/common';

const auditEntrySchema = z
  .object({
    id: z.uuid(),
    at: timestamp.openapi({ description: 'when the request was answered' }),
    actor: z
      .object({ id: z.string(), name: z.string(), tokenId: z.uuid().nullable() })
      .openapi({ description: 'who: the user (or admin for the bootstrap token) and the token used' }),
    action: z.string().openapi({ example: 'batch.start', description: 'what was done, resource.verb' }),
    resource: z.object({ type: z.string(), id: z.string().nullable() }).openapi({ description: 'what it was done to' }),
    request: z
      .object({
        method: z.string().openapi({ description: 'HTTP method' }),
        path: z.string().openapi({ description: 'request path' }),
        status: z.number().int(),
        clientIp: z.string().nullable().openapi({ description: 'client address (from X-Forwarded-For behind a trusted proxy)' }),
      })
      .openapi({ description: 'the HTTP request and its answer' }),
    details: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'command text and targets for batch starts; never env values or tokens' }),
  })
  .openapi('AuditEntry');

export type AuditEntryJson = z.infer<typeof auditEntrySchema>;

const filter = (name: string, description: string) =>
  z.string().min(1).max(200).optional().openapi({ param: { name, in: 'query' }, description });

export const list = createRoute({
  method: 'get',
  path: '/v1/audit',
  operationId: 'listAuditEntries',
  tags: ['audit'],
  summary: 'Who did what, when and from where (operators see their own entries)',
  security: bearer,
  request: {
    query: z.object({
      ...pageQuery,
      actor: filter('actor', 'user id (or "admin" for the bootstrap token)'),
      action: filter('action', 'e.g. batch.start, batch.cancel, device.create'),
      resource: filter('resource', 'resource type, e.g. batch, device, group'),
      resourceId: filter('resourceId', 'resource id'),
      since: timestamp.optional().openapi({ param: { name: 'since', in: 'query' }, description: 'entries at or after this time' }),
    }),
  },
  responses: { 200: jsonContent(pageOf(auditEntrySchema), 'A page of audit entries'), ...commonErrors },
});

export type ListRoute = typeof list;
