// Reads one Server-Sent Events response from the API (fetch + eventsource-parser), calling onEvent for
// each event. Resolves when the server closes the stream; an HTTP error answers the API's error.
import { createParser } from 'eventsource-parser';
import { fetch, type Dispatcher } from 'undici';
import { ApiRequestError } from '../domain/api-request-error';
import { toApiRequestError } from './api-request-error';
import { errorMessage } from './error-message';

export interface StreamEvent {
  event: string;
  id: string | undefined;
  data: string;
}

export interface EventStreamOptions {
  headers: Record<string, string>;
  /** Resume after this event id. */
  lastEventId?: string;
  signal?: AbortSignal;
  /** Carries a custom CA (FLOTILLA_CA_FILE) when the API's certificate needs one. */
  dispatcher?: Dispatcher;
  onEvent(e: StreamEvent): void;
}

export async function readEventStream(url: string, opts: EventStreamOptions): Promise<void> {
  const headers: Record<string, string> = { accept: 'text/event-stream', ...opts.headers };
  if (opts.lastEventId !== undefined) headers['last-event-id'] = opts.lastEventId;
  let res: Awaited<ReturnType<typeof fetch>>;
  try {
    res = await fetch(url, { headers, signal: opts.signal, dispatcher: opts.dispatcher });
  } catch (err) {
    if (opts.signal?.aborted) return;
    throw new ApiRequestError(0, 'unreachable', `cannot reach ${new URL(url).origin}: ${errorMessage(err)}`);
  }
  if (!res.ok) throw await toApiRequestError(res);
  if (!res.body) return;
  const parser = createParser({
    onEvent: (m) => opts.onEvent({ event: m.event ?? 'message', id: m.id, data: m.data }),
  });
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (err) {
    if (opts.signal?.aborted) return;
    throw err;
  } finally {
    reader.releaseLock();
  }
}
