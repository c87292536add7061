// The API's error answers as the CLI sees them.

/** An answer from the API that is not a success, or no answer at all; the CLI exits 2 on it. */
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

export async function toApiRequestError(res: { status: number; text(): Promise<string> }): Promise<ApiRequestError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.message) return new ApiRequestError(res.status, body.error.code ?? 'error', body.error.message, body.error.details);
  } catch {
    // not JSON: fall through with the raw text
  }
  return new ApiRequestError(res.status, 'http_error', `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
}
