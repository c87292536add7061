// The events stream handler: checks the batch and the resume position before the stream opens (so a
// bad request is a plain 4xx), then hands the open stream to followBatchEvents.
import { streamSSE } from 'hono/streaming';
import { batchStats, getBatch } from '../../../db/queries/batches';
import { decodePosition, InvalidPositionError, type EventPosition } from '../../../db/queries/batch-events';
import type { Database } from '../../../db/client';
import type { OwnerScope } from '../../../db/queries/ownership';
import type { AppRouteHandler } from '../../context';
import { DomainError, notFound } from '../../../domain/errors';
import { scopeOf, seesAll } from '../../ownership';
import { progressOf, toBatchJson } from '../../schemas/batch';
import { followBatchEvents, type BatchHead } from './follow';
import { outcomeGroups } from '../../../db/queries/outcomes';
import type { OutcomeNormalization } from '../../../domain/outcome';
import { toOutcomeGroupsJson, type OutcomeGroupsJson } from '../../schemas/outcome';
import type { EventsRoute } from './routes';

/** How often the stream re-reads the log without a NOTIFY. */
const POLL_MS = 1_000;

function resumePosition(raw: string | undefined): EventPosition | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return decodePosition(raw);
  } catch (err) {
    if (err instanceof InvalidPositionError) throw new DomainError(400, 'invalid_cursor', err.message);
    throw err;
  }
}

async function readHead(db: Database, id: string, scope: OwnerScope, showOwner: boolean): Promise<BatchHead | undefined> {
  const row = await getBatch(db, id, scope);
  const stats = (await batchStats(db, [id])).get(id);
  if (!row || !stats) return undefined;
  return { status: row.status, view: { batch: toBatchJson(row, stats, undefined, showOwner), progress: progressOf(stats, row.targetCount) } };
}

/** The largest groups; the stream carries counts, the outcomes route the rest. */
const STREAMED_GROUPS = 20;
const STREAMED_SAMPLE_BYTES = 200;

async function readGroups(db: Database, id: string, normalize: OutcomeNormalization): Promise<OutcomeGroupsJson> {
  const page = await outcomeGroups(db, id, { normalize, step: null, limit: STREAMED_GROUPS, after: null, sampleBytes: STREAMED_SAMPLE_BYTES });
  return toOutcomeGroupsJson(id, normalize, null, page);
}

export const events: AppRouteHandler<EventsRoute> = async (c) => {
  const { db, config, logger, metrics } = c.var.deps;
  const { id } = c.req.valid('param');
  const { output, groups } = c.req.valid('query');
  const from = resumePosition(c.req.valid('header')['last-event-id']);
  const scope = scopeOf(c.var.principal);
  if (!(await getBatch(db.orm, id, scope))) throw notFound('batch', id);
  return streamSSE(
    c,
    async (stream) => {
      const abort = new AbortController();
      stream.onAbort(() => abort.abort());
      metrics?.eventStreamSubscribers.inc();
      await followBatchEvents(db, {
        batchId: id,
        from,
        output,
        heartbeatMs: config.sseHeartbeatMs,
        pollMs: POLL_MS,
        readHead: () => readHead(db.orm, id, scope, seesAll(c.var.principal)),
        ...(groups === undefined ? {} : { readGroups: () => readGroups(db.orm, id, groups) }),
        write: (text) => stream.write(text).then(() => undefined),
        signal: abort.signal,
      }).finally(() => metrics?.eventStreamSubscribers.dec());
    },
    async (err) => {
      logger.warn({ batchId: id, err }, 'batch event stream failed');
    },
  );
};
