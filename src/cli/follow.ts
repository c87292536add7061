// Follows a running batch until it is final: a progress bar on stderr, polling the API. The first Ctrl-C
// cancels the batch and keeps following so every device still ends in a final status; a second one quits.
import { SingleBar } from 'cli-progress';
import { isActiveBatchStatus } from '../domain/status';
import type { BatchDetail } from './api-types';
import { formatCounts, finishedCount } from './format';
import type { ApiClient } from './http';

export const POLL_INTERVAL_MS = 500;

export interface FollowOptions {
  /** No progress bar (--json, or stderr is not a terminal). */
  quiet: boolean;
  log: (line: string) => void;
}

export async function followBatch(api: ApiClient, batchId: string, opts: FollowOptions): Promise<BatchDetail> {
  const bar = opts.quiet || !process.stderr.isTTY ? undefined : new SingleBar({
    stream: process.stderr,
    format: ' {bar} {value}/{total} devices | {percentage}% | {status} | {counts}',
    hideCursor: true,
    clearOnComplete: false,
  });
  let cancelling = false;
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
  process.on('SIGINT', onSigint);
  try {
    let started = false;
    for (;;) {
      const detail = await api.get<BatchDetail>(`/v1/batches/${batchId}`);
      const { batch } = detail;
      const payload = { status: cancelling && isActiveBatchStatus(batch.status) ? 'cancelling' : batch.status, counts: formatCounts(batch.stats) };
      if (bar && !started) bar.start(batch.targetCount, finishedCount(batch.stats), payload);
      else bar?.update(finishedCount(batch.stats), payload);
      started = true;
      if (!isActiveBatchStatus(batch.status)) {
        bar?.stop();
        return detail;
      }
      await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    }
  } finally {
    bar?.stop();
    process.off('SIGINT', onSigint);
  }
}
