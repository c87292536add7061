// The short reason a device's execution did not succeed, as its device workflow returns it to Temporal:
// one line, at most MAX_OUTCOME_ERROR_BYTES. Full output stays in PostgreSQL, never in workflow history.
import type { FinalExecutionStatus } from './status';

export const MAX_OUTCOME_ERROR_BYTES = 200;

/** How much of stderr a query reads to find its first line (more than one line's worth, far less than all). */
export const STDERR_HEAD_CHARS = 1024;

export interface StoredOutcome {
  status: FinalExecutionStatus;
  exitCode: number | null;
  /** Why the execution ended as it did, when the gateway, workflow or agent said (undeliverable, timed out, cancelled). */
  error: string | null;
  /** The beginning of stderr (STDERR_HEAD_CHARS at most). */
  stderrHead: string | null;
}

function firstLine(text: string | null): string | null {
  const line = text?.split('\n').find((l) => l.trim() !== '')?.trim();
  return line === undefined || line === '' ? null : line;
}

/** Cuts to at most `max` bytes of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** null for a success; a failed command's first stderr line before the stored reason; otherwise the reason first. */
export function outcomeError(o: StoredOutcome): string | null {
  if (o.status === 'succeeded') return null;
  const reason = firstLine(o.error);
  const stderr = firstLine(o.stderrHead);
  const line = o.status === 'failed' ? (stderr ?? reason) : (reason ?? stderr);
  return line === null ? null : truncateUtf8(line, MAX_OUTCOME_ERROR_BYTES);
}
