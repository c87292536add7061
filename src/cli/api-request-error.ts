// The API's error answers as the CLI sees them; the CLI exits 2 on an ApiRequestError.
import { ApiRequestError } from '../domain/api-request-error';

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
