// GET /v1/batches/{id}/events: the batch's live progress as Server-Sent Events.
import { createRoute, z } from '@hono/zod-openapi';
import { OUTCOME_NORMALIZATIONS } from '../../../domain/outcome';
import { commonErrors, errorResponses, bearer, idParam } from '../../schemas/common';

const EVENTS_DOC = [
  'A Server-Sent Events stream. Every event has an `id`; reconnect with `Last-Event-ID` to resume right after it',
  '(no snapshot then: the events you missed follow, none twice). Events, each with JSON data:',
  '`snapshot` (first, unless resuming): the batch with its counts (`batch`, `progress`) and `devices`, every',
  "device's current status in target order; it is read just after its position, so a following `execution` event",
  'may repeat a change the snapshot already shows: apply `to` as the status.',
  '`execution`: a device changed status `{executionId, deviceId, deviceName, seq, from, to, exitCode, at}`.',
  '`batch`: the batch changed status `{from, to, at}`.',
  '`counts`: `{batch, progress}` after a burst of changes (at most every 0.5 s).',
  '`output` (only with `?output=1`): a chunk of a running command `{executionId, deviceId, deviceName, stream, text, at}`;',
  'a preview only (at most 1 MiB per stream, lost while the agent is disconnected): the result holds the output.',
  '`groups` (only with `?groups=none|whitespace|digits`): after the snapshot, each `counts` and before `end`, the 20',
  'largest outcome groups `{items, distinct}` as GET /v1/batches/{id}/outcomes answers them (samples cut to 200 bytes).',
  '`end`: `{batch, progress}` once the batch is final; then the server closes the stream.',
  'Comment lines (`: keep-alive`) keep proxies from closing an idle stream.',
].join(' ');

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

export const events = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/events',
  operationId: 'followBatch',
  tags: ['batches'],
  summary: 'Follow a batch live (Server-Sent Events): snapshot, device changes, counts, output, end',
  description: EVENTS_DOC,
  security: bearer,
  request: {
    params: idParam,
    query: z.object({
      output: flag.openapi({ param: { name: 'output', in: 'query' }, description: '1 to also stream output chunks of running commands' }),
      groups: z.enum(OUTCOME_NORMALIZATIONS).optional().openapi({
        param: { name: 'groups', in: 'query' },
        description: 'Also stream `groups` events (the 20 largest outcome groups, compared with this normalisation) after the snapshot and with every counts update',
      }),
    }),
    headers: z.object({
      'last-event-id': z.string().max(64).optional().openapi({ description: 'resume after this event id' }),
    }),
  },
  responses: {
    200: { description: EVENTS_DOC, content: { 'text/event-stream': { schema: z.string() } } },
    ...commonErrors,
    404: errorResponses[404],
  },
});

export type EventsRoute = typeof events;
