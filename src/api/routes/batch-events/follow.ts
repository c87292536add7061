// Follows one batch's event log for a Server-Sent Events client: a snapshot (unless resuming), then
// every logged event in order, a `counts` update after each burst of device changes, and `end` once
// the batch is final and the log is drained; on request, outcome groups with each counts update. Woken by NOTIFY, with a slow poll as a safety net.
import type { DatabaseHandle } from '../../../db/client';
import {
  currentPosition,
  deviceStatePage,
  encodePosition,
  lastBatchStatusEvent,
  positionAfter,
  readBatchEvents,
  type EventPosition,
} from '../../../db/queries/batch-events';
import { BATCH_EVENTS_CHANNEL } from '../../../domain/batch-events';
import { isFinalBatchStatus } from '../../../domain/status';
import { sseComment, sseEvent, ssePieces } from './sse';

/** The batch as the API shows it, read now. */
export interface BatchHead {
  status: string;
  /** Rendered into `snapshot`, `counts` and `end`: the batch with its counts, and progress. */
  view: Record<string, unknown>;
}

export interface EventStreamOptions {
  batchId: string;
  /** Resume after this position (Last-Event-ID): no snapshot. */
  from: EventPosition | undefined;
  output: boolean;
  heartbeatMs: number;
  /** Re-read the log this often even without a NOTIFY (a NOTIFY can come before its rows are safe to read). */
  pollMs: number;
  readHead(): Promise<BatchHead | undefined>;
  /** When set, a `groups` event (outcome groups) follows the snapshot and every `counts`, and precedes `end`. */
  readGroups?: () => Promise<unknown>;
  write(text: string): Promise<void>;
  signal: AbortSignal;
}

const PAGE = 500;
/** At most one counts update per this long while events pour in. */
const COUNTS_EVERY_MS = 500;

export async function followBatchEvents(db: DatabaseHandle, o: EventStreamOptions): Promise<void> {
  // `dirty` remembers a NOTIFY that came while the log was being read, so no wake-up is lost.
  let dirty = false;
  let wake: () => void = () => undefined;
  const unlisten = await db.listen(BATCH_EVENTS_CHANNEL, (payload) => {
    if (payload !== o.batchId) return;
    dirty = true;
    wake();
  });
  const aborted = new Promise<void>((resolve) => o.signal.addEventListener('abort', () => resolve(), { once: true }));
  try {
    let position = o.from ?? (await currentPosition(db.orm));
    const head = await o.readHead();
    if (!head) return;
    if (o.from === undefined) {
      await writeSnapshot(db, o, position, head);
      await writeGroups(o, position);
    }
    // Already final: the stream ends once it has passed the batch's last status change (if it has one).
    const finalAt = isFinalBatchStatus(head.status) ? await lastBatchStatusEvent(db.orm, o.batchId) : undefined;
    let final = isFinalBatchStatus(head.status) && (finalAt === undefined || !positionAfter(finalAt, position));
    let countsDue = false;
    let countsAt = 0;
    let wroteAt = Date.now();
    while (!o.signal.aborted) {
      dirty = false;
      const rows = await readBatchEvents(db.orm, o.batchId, position, { limit: PAGE, output: o.output });
      for (const r of rows) {
        position = r.position;
        await o.write(sseEvent(r.type, encodePosition(position), { ...r.data, at: r.createdAt.toISOString() }));
        if (r.type === 'execution') countsDue = true;
        if (r.type === 'batch' && isFinalBatchStatus(String(r.data.to))) final = true;
        if (finalAt && !positionAfter(finalAt, position)) final = true;
      }
      if (rows.length > 0) wroteAt = Date.now();
      const caughtUp = rows.length < PAGE;
      if (countsDue && (caughtUp || final || Date.now() - countsAt >= COUNTS_EVERY_MS)) {
        const now = await o.readHead();
        if (!now) return;
        await o.write(sseEvent('counts', encodePosition(position), now.view));
        await writeGroups(o, position);
        countsDue = false;
        countsAt = Date.now();
      }
      if (final && caughtUp) {
        const last = await o.readHead();
        await writeGroups(o, position);
        if (last) await o.write(sseEvent('end', encodePosition(position), last.view));
        return;
      }
      if (!caughtUp || dirty) continue;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      await Promise.race([woken, aborted, sleep(Math.min(o.pollMs, Math.max(1, o.heartbeatMs - (Date.now() - wroteAt))))]);
      wake = () => undefined;
      if (Date.now() - wroteAt >= o.heartbeatMs) {
        await o.write(sseComment('keep-alive'));
        wroteAt = Date.now();
      }
    }
  } finally {
    await unlisten();
  }
}

async function writeGroups(o: EventStreamOptions, position: EventPosition): Promise<void> {
  if (o.readGroups) await o.write(sseEvent('groups', encodePosition(position), await o.readGroups()));
}

/** `snapshot`: the batch, its counts and every device's current status, written one page at a time. */
async function writeSnapshot(db: DatabaseHandle, o: EventStreamOptions, position: EventPosition, head: BatchHead): Promise<void> {
  const headJson = JSON.stringify(head.view);
  await o.write(ssePieces.open('snapshot', encodePosition(position), `${headJson.slice(0, -1)},"devices":[`));
  let afterSeq = -1;
  let first = true;
  for (;;) {
    const page = await deviceStatePage(db.orm, o.batchId, afterSeq, PAGE);
    if (page.length === 0) break;
    const items = page.map((d) => JSON.stringify(d)).join(',');
    await o.write(ssePieces.piece(first ? items : `,${items}`));
    first = false;
    afterSeq = page[page.length - 1]!.seq;
    if (page.length < PAGE) break;
  }
  await o.write(ssePieces.close(']}'));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
