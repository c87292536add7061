// Where the CLI writes: results on stdout, progress and errors on stderr; and the exit codes.
import { ApiRequestError } from '../domain/api-request-error';
import { UsageError } from './parse';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function info(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

/** Prints what went wrong, with the API's details when it gave some, and answers the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof ApiRequestError) {
    info(`error: ${err.message}${err.status ? ` (HTTP ${err.status}, ${err.code})` : ''}`);
    if (err.details !== undefined) info(JSON.stringify(err.details, null, 2));
    return EXIT.usage;
  }
  if (err instanceof UsageError) {
    info(`error: ${err.message}`);
    return EXIT.usage;
  }
  info(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return EXIT.usage;
}
