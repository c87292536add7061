// A test's view of GET /v1/batches/:id/events: every event parsed, waited on, and closed on demand.
import { readEventStream, type StreamEvent } from '../../src/cli/event-stream';
import { waitFor } from './ports';

export interface ParsedEvent {
  event: string;
  id: string;
  data: Record<string, unknown>;
}

export interface OpenStream {
  events: ParsedEvent[];
  /** Settles when the server closes the stream (or it is closed here). */
  done: Promise<void>;
  waitForEvent(what: string, test: (e: ParsedEvent) => boolean, timeoutMs?: number): Promise<ParsedEvent>;
  close(): void;
}

export function openEventStream(url: string, token: string, lastEventId?: string): OpenStream {
  const events: ParsedEvent[] = [];
  const abort = new AbortController();
  const done = readEventStream(url, {
    headers: { authorization: `Bearer ${token}` },
    lastEventId,
    signal: abort.signal,
    onEvent: (e: StreamEvent) => events.push({ event: e.event, id: e.id ?? '', data: JSON.parse(e.data) as Record<string, unknown> }),
  });
  return {
    events,
    done,
    waitForEvent: (what, test, timeoutMs = 60_000) => waitFor(what, () => events.find(test), timeoutMs, 50),
    close: () => abort.abort(),
  };
}
