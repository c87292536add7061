// /v1/batches/:id/{cancel,pause,resume}: control of a batch that is still going.
import { createRoute, z } from '@hono/zod-openapi';
import { bearer, commonErrors, errorResponses, idParam, jsonContent } from '../../schemas/common';

const tags = ['batches'];

function controlRoute<S extends string>(verb: 'cancel' | 'pause' | 'resume', answer: S, summary: string) {
  return createRoute({
    method: 'post',
    path: `/v1/batches/{id}/${verb}`,
    operationId: `${verb}Batch`,
    tags,
    summary,
    security: bearer,
    request: { params: idParam },
    responses: {
      202: jsonContent(z.object({ batchId: z.uuid(), status: z.literal(answer) }), 'Requested from the batch workflow'),
      ...commonErrors,
      404: errorResponses[404],
      409: { ...errorResponses[409], description: 'The batch already finished (batch_finished)' },
    },
  });
}

export const cancel = controlRoute('cancel', 'cancelling', 'Stop dispatching and cancel running commands');
export const pause = controlRoute(
  'pause',
  'pausing',
  'Stop dispatching new devices (running ones finish); the batch shows `paused` until resumed. The deadline still applies.',
);
export const resume = controlRoute('resume', 'resuming', 'Dispatch again after a pause, or approve the waves after the first (approveAfterFirstWave)');

export type CancelRoute = typeof cancel;
export type PauseRoute = typeof pause;
export type ResumeRoute = typeof resume;
