// Live output chunks from every agent of this gateway go to the batch event log in multi-row INSERTs,
// at most every interval. Output is a preview (results hold it for good): a failed insert is logged
// and dropped, never retried forever or allowed to hold up a result.
import type { Database } from '../db/client';
import { appendOutputEvents, type NewOutputEvent } from '../db/queries/batch-events';
import type { Logger } from '../logger';

const FLUSH_MS = 100;
const MAX_ROWS_PER_INSERT = 500;

export interface LiveOutputWriter {
  push(chunk: NewOutputEvent): void;
  /** Resolves once every chunk pushed so far is written (or dropped). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function startLiveOutputWriter(db: Database, logger: Logger): LiveOutputWriter {
  let pending: NewOutputEvent[] = [];
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const rows = pending;
    pending = [];
    writing = writing.then(async () => {
      for (let i = 0; i < rows.length; i += MAX_ROWS_PER_INSERT) {
        await appendOutputEvents(db, rows.slice(i, i + MAX_ROWS_PER_INSERT)).catch((err: unknown) =>
          logger.warn({ rows: rows.length, err }, 'live output dropped'),
        );
      }
    });
    return writing;
  };

  return {
    push(chunk) {
      pending.push(chunk);
      timer ??= setTimeout(() => void flush(), FLUSH_MS);
    },
    flush,
    stop: flush,
  };
}
