// The one error model: every refusal the service answers is a DomainError that knows its code, HTTP
// status, details and, for a limit of the moment, when to try again. The API turns any of them into
// `{error: {code, message, details?}}` in one place (src/api/errors.ts); other callers (a scheduled run)
// read the code and message.

/** The statuses a refusal may answer with; anything else is a bug and answers 500. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export class DomainError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Set when the same request may succeed later: sent as Retry-After. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export const notFound = (what: string, id: string): DomainError => new DomainError(404, 'not_found', `${what} ${id} does not exist`);

/**
 * A request that cannot become a batch: 400, or 429 when it may succeed later (a limit of the moment).
 * A scheduled run records it as a failed run.
 */
export class BatchRejected extends DomainError {
  constructor(
    code: string,
    message: string,
    details?: unknown,
    retryAfterSec?: number,
    /** The request field it is about, when one is (`targets`). */
    readonly field?: string,
  ) {
    super(retryAfterSec === undefined ? 400 : 429, code, message, details, retryAfterSec);
  }

  /** The same refusal for a batch request nested in a larger body under `path` (a schedule's `batch`). */
  within(path: string): BatchRejected {
    const where = this.field === undefined ? path : `${path}.${this.field}`;
    return new BatchRejected(this.code, `${where}: ${this.message}`, this.details, this.retryAfterSec);
  }
}

/** Temporal did not take the call (unreachable, or it failed); what PostgreSQL holds is said by the message. */
export class TemporalUnavailable extends DomainError {
  constructor(message: string, details?: unknown, options?: { cause: unknown }) {
    super(503, 'temporal_unavailable', message, details);
    if (options) this.cause = options.cause;
  }
}

/** The message of anything thrown, for a message that quotes it (logs take `{ err }` instead). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
