// POST /v1/batches/:id/retry: a new batch with the same definition on the devices that ended in the
// given statuses, linked both ways (retryOf on the new batch, retries on the original).
import { createRoute, z } from '@hono/zod-openapi';
import { FINAL_EXECUTION_STATUSES } from '../../../domain/status';
import { batchCreatedSchema } from '../../schemas/batch';
import { bearer, commonErrors, errorResponses, idParam, jsonBody, jsonContent } from '../../schemas/common';

export const DEFAULT_RETRY_STATUSES = ['failed', 'timed_out', 'undeliverable'] as const;

export const retryRequestSchema = z
  .object({
    statuses: z
      .array(z.enum(FINAL_EXECUTION_STATUSES))
      .min(1)
      .optional()
      .openapi({ description: `final statuses whose devices are retried; default ${DEFAULT_RETRY_STATUSES.join(', ')}` }),
  })
  .strict();

export const retry = createRoute({
  method: 'post',
  path: '/v1/batches/{id}/retry',
  operationId: 'retryBatch',
  tags: ['batches'],
  summary: 'Start a new batch with the same action and strategy on the devices that ended in the given statuses',
  security: bearer,
  request: { params: idParam, body: { ...jsonBody(retryRequestSchema, 'Which devices to retry'), required: false } },
  responses: {
    201: jsonContent(batchCreatedSchema.extend({ retryOf: z.uuid().openapi({ description: 'the batch retried' }) }), 'The new batch, started'),
    ...commonErrors,
    404: errorResponses[404],
    409: { ...errorResponses[409], description: 'The batch is still running or paused (batch_running), or no device ended in those statuses (nothing_to_retry)' },
    503: jsonContent(batchCreatedSchema.pick({ batchId: true }).partial(), 'Temporal could not be reached'),
  },
});

export type RetryRoute = typeof retry;
