// The API's error answer as a client (the CLI, the console) holds it. No Node imports: the console's
// browser bundle uses it too.

/** An answer from the API that is not a success, or no answer at all (status 0). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}
