/** A request that cannot become a batch; the API answers it as a 400, a scheduled run records it as a failed run. */
export class BatchRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'BatchRejected';
  }
}
