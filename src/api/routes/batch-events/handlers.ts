// The events stream handler: checks the batch and the resume position before the stream opens (so a
// bad request is a plain 4xx), then hands the open stream to followBatchEvents.
import { streamSSE } from 'hono/streaming';
import { followBatchEvents } from '../../../batches/event-stream';
import { batchStats, getBatch } from '../../../db/queries/batches';
import { decodePosition, InvalidPositionError, type EventPosition } from '../../../db/queries/batch-events';
import type { Database } from '../../../db/client';
import type { AppRouteHandler } from '../../context';
import { ApiError, notFound } from '../../errors';
import { scopeOf, type OwnerScope } from '../../ownership';
import { progressOf, toBatchJson } from '../../schemas/batch';
import type { EventsRoute } from './routes';

/** How often the stream re-reads the log without a NOTIFY. */
const POLL_MS = 1_000;

function resumePosition(raw: string | undefined): EventPosition | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return decodePosition(raw);
  } catch (err) {
    if (err instanceof InvalidPositionError) throw new ApiError(400, 'invalid_cursor', err.message);
    throw err;
  }
}

async function readHead(db: Database, id: string, scope: OwnerScope): Promise<{ status: string; view: Record<string, unknown> } | undefined> {
  const row = await getBatch(db, id, scope);
  const stats = (await batchStats(db, [id])).get(id);
  if (!row || !stats) return undefined;
  return { status: row.status, view: { batch: toBatchJson(row, stats), progress: progressOf(stats, row.targetCount) } };
}

export const events: AppRouteHandler<EventsRoute> = async (c) => {
  const { db, config, logger, metrics } = c.var.deps;
  const { id } = c.req.valid('param');
  const { output } = c.req.valid('query');
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
        readHead: () => readHead(db.orm, id, scope),
        write: (text) => stream.write(text).then(() => undefined),
        signal: abort.signal,
      }).finally(() => metrics?.eventStreamSubscribers.dec());
    },
    async (err) => {
      logger.warn({ batchId: id, err: err.message }, 'batch event stream failed');
    },
  );
};
