/**
 * A request that cannot become a batch; the API answers it as a 400 (a 429 with Retry-After when it may
 * succeed later), a scheduled run records it as a failed run.
 */
export class BatchRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Set when the same request may be accepted later: a limit of the moment, not bad input. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'BatchRejected';
  }
}
