// GET /v1/targets/preview: which devices a batch's targets would match now, before anything starts.
import { createRoute, z } from '@hono/zod-openapi';
import { tagSchema } from '../../schemas/device';
import { bearer, commonErrors, jsonContent } from '../../schemas/common';

/** Devices named one by one in a preview URL; larger selections go by group or tag. */
export const MAX_PREVIEW_DEVICE_IDS = 300;
export const PREVIEW_SAMPLE = 50;

const many = <T extends z.ZodType>(item: T, max: number) =>
  z
    .union([item, z.array(item).max(max)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

export const previewQuerySchema = z.object({
  deviceId: many(z.uuid(), MAX_PREVIEW_DEVICE_IDS).openapi({ param: { name: 'deviceId', in: 'query' }, description: 'repeatable' }),
  groupId: many(z.uuid(), 1000).openapi({ param: { name: 'groupId', in: 'query' }, description: 'repeatable' }),
  tag: many(tagSchema, 50).openapi({ param: { name: 'tag', in: 'query' }, description: 'repeatable; devices having all of them' }),
});

export const previewSchema = z
  .object({
    matched: z.number().int().openapi({ description: 'devices a batch with these targets would run on now' }),
    limit: z.number().int().openapi({ description: 'most devices one batch may target (FLOTILLA_MAX_TARGETS)' }),
    devices: z.array(z.object({ id: z.uuid(), name: z.string() })).openapi({ description: `the first ${PREVIEW_SAMPLE}, in batch order` }),
    unknownDeviceIds: z.array(z.uuid()).openapi({ description: 'given device ids that match no device of yours (a batch would refuse them)' }),
    unknownGroupIds: z.array(z.uuid()).openapi({ description: 'given group ids that match no group of yours' }),
  })
  .openapi('TargetsPreview');

export const preview = createRoute({
  method: 'get',
  path: '/v1/targets/preview',
  operationId: 'getTargetsPreview',
  tags: ['batches'],
  summary: 'Count and list the devices some targets match, resolved as POST /v1/batches resolves them',
  security: bearer,
  request: { query: previewQuerySchema },
  responses: { 200: jsonContent(previewSchema, 'The matched devices'), ...commonErrors },
});

export type PreviewRoute = typeof preview;
