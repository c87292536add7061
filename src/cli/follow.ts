// Follows a running batch until it is final, on the API's event stream (no polling): a progress bar on
// stderr from its snapshot and counts, device changes and output handed to the caller. A dropped
// stream is resumed with Last-Event-ID, so nothing is missed. The first Ctrl-C cancels the batch and
// keeps following so every device still ends in a final status; a second one quits.
import { SingleBar } from 'cli-progress';
import { isActiveBatchStatus } from '../domain/status';
import type { BatchDetailJson } from '../api/schemas/batch';
import type { ExecutionEventData, OutputEventData, StreamedEventData } from '../domain/batch-events';
import { ApiRequestError } from '../domain/api-request-error';
import { formatCounts, finishedCount } from './format';
import type { ApiClient } from './http';

export interface FollowBatchOptions {
  /** No progress bar (--json, or stderr is not a terminal). */
  quiet: boolean;
  log: (line: string) => void;
  /** Also stream output chunks of running commands (?output=1). */
  output?: boolean;
  /** The stream's first view of the batch (not repeated when a dropped stream resumes). */
  onSnapshot?: (detail: BatchDetailJson) => void;
  onChange?: (change: StreamedEventData<ExecutionEventData>) => void;
  onOutput?: (chunk: StreamedEventData<OutputEventData>) => void;
}

/** Reconnect attempts in a row before giving up on an unreachable API. */
const MAX_RECONNECTS = 10;
const RECONNECT_BASE_MS = 250;
const RECONNECT_MAX_MS = 5_000;

export async function followBatch(api: ApiClient, batchId: string, opts: FollowBatchOptions): Promise<BatchDetailJson> {
  const bar = opts.quiet || !process.stderr.isTTY ? undefined : new SingleBar({
    stream: process.stderr,
    format: ' {bar} {value}/{total} devices | {percentage}% | {status} | {counts}',
    hideCursor: true,
    clearOnComplete: false,
  });
  let cancelling = false;
  let barStarted = false;
  // A message printed while the bar is drawn goes on its own line; the bar redraws below it.
  const say = (line: string): void => opts.log(bar ? `\n${line}` : line);
  const onSigint = (): void => {
    if (cancelling) {
      bar?.stop();
      opts.log(`stopped following; batch ${batchId} keeps cancelling (see: flotilla batches show ${batchId})`);
      process.exit(130);
    }
    cancelling = true;
    say(`cancelling batch ${batchId} (Ctrl-C again to stop following)`);
    api.post(`/v1/batches/${batchId}/cancel`).catch((err: unknown) => say(`cancel failed: ${String(err)}`));
  };
  const show = ({ batch }: BatchDetailJson): void => {
    const payload = { status: cancelling && isActiveBatchStatus(batch.status) ? 'cancelling' : batch.status, counts: formatCounts(batch.stats) };
    if (bar && !barStarted) bar.start(batch.targetCount, finishedCount(batch.stats), payload);
    else bar?.update(finishedCount(batch.stats), payload);
    barStarted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    let lastEventId: string | undefined;
    let end: BatchDetailJson | undefined;
    for (let failures = 0; end === undefined; ) {
      try {
        await api.events(`/v1/batches/${batchId}/events`, { output: opts.output ? 1 : undefined }, {
          lastEventId,
          onEvent: (e) => {
            if (e.id !== undefined) lastEventId = e.id;
            failures = 0;
            const data = JSON.parse(e.data) as unknown;
            if (e.event === 'snapshot' || e.event === 'counts' || e.event === 'end') show(data as BatchDetailJson);
            if (e.event === 'snapshot') opts.onSnapshot?.(data as BatchDetailJson);
            if (e.event === 'end') end = data as BatchDetailJson;
            if (e.event === 'execution') opts.onChange?.(data as StreamedEventData<ExecutionEventData>);
            if (e.event === 'output') opts.onOutput?.(data as StreamedEventData<OutputEventData>);
          },
        });
      } catch (err) {
        // The API refused (bad id, no access): no point retrying. Anything else: resume where we were.
        if (err instanceof ApiRequestError && err.status >= 400 && err.status < 500) throw err;
        failures += 1;
        if (failures > MAX_RECONNECTS) throw err;
      }
      if (end === undefined) await new Promise((r) => setTimeout(r, Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** failures)));
    }
    return end;
  } finally {
    bar?.stop();
    process.off('SIGINT', onSigint);
  }
}
