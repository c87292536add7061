// /v1/batches/{id}/outcomes: the batch's devices grouped by identical outcome, largest group first.
import { createRoute, z } from '@hono/zod-openapi';
import { normalizeSchema, outcomeGroupsSchema } from '../../schemas/outcome';
import { bearer, commonErrors, errorResponses, idParam, jsonContent, pageQuery } from '../../schemas/common';

/** Each group's sample outputs are cut to this. */
export const SAMPLE_BYTES = 4 * 1024;

export const list = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/outcomes',
  operationId: 'listOutcomeGroups',
  tags: ['executions'],
  summary: 'Group the devices of a batch by identical status, exit code and output',
  description:
    'Groups come from keys stored with every result, so this never reads every output. `step` groups the results of one step (0-based) of a multi-step batch; devices without a result for that step are not counted.',
  security: bearer,
  request: {
    params: idParam,
    query: z.object({
      ...pageQuery,
      normalize: normalizeSchema,
      step: z.coerce.number().int().min(0).max(19).optional().openapi({ param: { name: 'step', in: 'query' }, description: 'Group this step (0-based)' }),
    }),
  },
  responses: { 200: jsonContent(outcomeGroupsSchema, 'A page of outcome groups'), ...commonErrors, 404: errorResponses[404] },
});

export type ListRoute = typeof list;
