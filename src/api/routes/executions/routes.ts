// /v1/batches/{id}/executions: per-device results of a batch, in target order.
import { createRoute, z } from '@hono/zod-openapi';
import { executionSchema, executionStatusSchema } from '../../schemas/batch';
import { groupKeySchema, outputSearchSchema } from '../../schemas/outcome';
import { bearer, commonErrors, errorResponses, idParam, jsonContent, pageOf, pageQuery } from '../../schemas/common';

const tags = ['executions'];

/** Each of stdout and stderr is cut to this in lists; the single-execution route returns all. */
export const LIST_OUTPUT_HEAD_BYTES = 4 * 1024;

export const list = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/executions',
  operationId: 'listExecutions',
  tags,
  summary: 'List the per-device executions of a batch (outputs cut to their first 4 KiB), optionally of one outcome group or with outputs containing a text',
  security: bearer,
  request: {
    params: idParam,
    query: z.object({
      ...pageQuery,
      status: executionStatusSchema.optional().openapi({ param: { name: 'status', in: 'query' } }),
      group: groupKeySchema.optional(),
      stdout: outputSearchSchema('stdout').optional(),
      stderr: outputSearchSchema('stderr').optional(),
      output: outputSearchSchema('output').optional(),
    }),
  },
  responses: { 200: jsonContent(pageOf(executionSchema), 'A page of executions'), ...commonErrors, 404: errorResponses[404] },
});

export const get = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/executions/{deviceId}',
  operationId: 'getExecution',
  tags,
  summary: "One device's execution with its full output",
  security: bearer,
  request: {
    params: idParam.extend({ deviceId: z.uuid().openapi({ param: { name: 'deviceId', in: 'path' } }) }),
  },
  responses: { 200: jsonContent(executionSchema, 'The execution'), ...commonErrors, 404: errorResponses[404] },
});

export type ListRoute = typeof list;
export type GetRoute = typeof get;
