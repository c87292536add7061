// /v1/batches: start a batch (idempotently), list, read with counts and progress, cancel, delete.
import { createRoute, z } from '@hono/zod-openapi';
import { batchRequestSchema } from '../../../domain/batch';
import { BATCH_EXAMPLES } from '../../schemas/examples';
import { batchCreatedSchema, batchDetailSchema, batchSchema, batchStatusSchema } from '../../schemas/batch';
import { bearer, commonErrors, errorResponses, idParam, jsonBody, jsonContent, ownerQuery, pageOf, pageQuery } from '../../schemas/common';

const tags = ['batches'];

export const IDEMPOTENCY_KEY_MAX = 200;

export const create = createRoute({
  method: 'post',
  path: '/v1/batches',
  operationId: 'createBatch',
  tags,
  summary: 'Run an action on a set of devices; starts one durable workflow',
  security: bearer,
  request: {
    headers: z.object({
      'idempotency-key': z
        .string()
        .min(1)
        .max(IDEMPOTENCY_KEY_MAX)
        .optional()
        .openapi({ description: 'a retried request with the same key and body returns the same batch' }),
    }),
    body: jsonBody(batchRequestSchema, 'Targets, action (or steps) and strategy', BATCH_EXAMPLES),
  },
  responses: {
    201: jsonContent(batchCreatedSchema, 'Started (or, with Idempotent-Replayed: true, the batch this key started before)'),
    ...commonErrors,
    409: errorResponses[409],
    503: jsonContent(batchCreatedSchema.pick({ batchId: true }).partial(), 'Temporal could not be reached; retry with the same Idempotency-Key'),
  },
});

export const list = createRoute({
  method: 'get',
  path: '/v1/batches',
  operationId: 'listBatches',
  tags,
  summary: 'List batches, newest first',
  security: bearer,
  request: {
    query: z.object({ ...pageQuery, ...ownerQuery, status: batchStatusSchema.optional().openapi({ param: { name: 'status', in: 'query' } }) }),
  },
  responses: { 200: jsonContent(pageOf(batchSchema), 'A page of batches'), ...commonErrors },
});

export const get = createRoute({
  method: 'get',
  path: '/v1/batches/{id}',
  operationId: 'getBatch',
  tags,
  summary: 'Read a batch with counts per device status and progress',
  security: bearer,
  request: { params: idParam },
  responses: {
    200: jsonContent(batchDetailSchema, 'The batch'),
    ...commonErrors,
    404: errorResponses[404],
  },
});

export const remove = createRoute({
  method: 'delete',
  path: '/v1/batches/{id}',
  operationId: 'deleteBatch',
  tags,
  summary: 'Delete a finished batch and its results',
  security: bearer,
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, ...errorResponses },
});

export type CreateRoute = typeof create;
export type ListRoute = typeof list;
export type GetRoute = typeof get;
export type RemoveRoute = typeof remove;
