// Every request the console makes: same-origin fetches to /v1 carrying the session cookie, and the
// session's CSRF token on writes. An answer of 401 sends the user back to the sign-in form.
import { ApiRequestError } from '../../domain/api-request-error';
import type { Page } from './types';

let csrfToken: string | undefined;
let onSignedOut: () => void = () => {};

export function useCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v as readonly string[]) params.append(k, item);
    else params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; details?: unknown } };
  if (!res.ok) {
    const err = data.error ?? { code: 'http_error', message: `HTTP ${res.status}` };
    if (res.status === 401 && path !== '/v1/session') onSignedOut();
    throw new ApiRequestError(res.status, err.code, err.message, err.details);
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query): Promise<T> => request<T>('GET', withQuery(path, query));
export const post = <T>(path: string, body?: unknown): Promise<T> => request<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown): Promise<T> => request<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown): Promise<T> => request<T>('PUT', path, body);
export const del = (path: string): Promise<void> => request<void>('DELETE', path);

export function getPage<T>(path: string, query: Query): Promise<Page<T>> {
  return get<Page<T>>(path, query);
}

/** A readable line for an error, with the first invalid field when the API named one. */
export function describeError(err: unknown): string {
  if (err instanceof ApiRequestError) return `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}
