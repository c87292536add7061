// Server-Sent Events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html).
// Data is JSON, which never holds a raw newline, so each event's data is one `data:` line.

export function sseEvent(event: string, id: string, data: unknown): string {
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: clients ignore it; proxies see traffic and keep the connection open. */
export function sseComment(text: string): string {
  return `: ${text}\n\n`;
}

/**
 * One event whose JSON is written in pieces: `open` and `close` wrap the items, each piece on its own
 * `data:` line. A client joins the lines with "\n", which JSON reads as whitespace, and dispatches the
 * event only at the blank line that ends it, so it sees the whole snapshot or nothing.
 */
export const ssePieces = {
  open: (event: string, id: string, head: string): string => `event: ${event}\nid: ${id}\ndata: ${head}\n`,
  piece: (json: string): string => `data: ${json}\n`,
  close: (tail: string): string => `data: ${tail}\n\n`,
};
