// The CLI's only way to the system: JSON over HTTP(S) to the /v1 API with a bearer token. A custom CA
// (FLOTILLA_CA_FILE) verifies an API whose certificate no public CA signed.
import { Agent, fetch, request as undiciRequest } from 'undici';
import type { CliConfig } from '../config';
import type { Page } from '../db/queries/pagination';
import { ApiRequestError } from '../domain/api-request-error';
import { toApiRequestError } from './api-request-error';
import { readEventStream, type EventStreamOptions } from './event-stream';
import { isCertificateError } from '../security/tls';
import type { Readable } from 'node:stream';

export type FetchResponse = Awaited<ReturnType<typeof fetch>>;

export type Query = Record<string, string | string[] | number | undefined>;

export interface ApiClient {
  baseUrl: string;
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  del(path: string): Promise<void>;
  /** Follows nextCursor until the end (or until max items). */
  all<T>(path: string, query?: Query, max?: number): Promise<T[]>;
  /** Reads a Server-Sent Events stream until the server closes it. */
  events(path: string, query: Query, opts: Omit<EventStreamOptions, 'headers' | 'dispatcher'>): Promise<void>;
  /** A streamed upload: the body goes out as application/octet-stream as it is read, with backpressure. */
  upload<T>(path: string, query: Query, body: Readable): Promise<T>;
  /** A streamed download; the caller reads the body. */
  download(path: string, query?: Query): Promise<FetchResponse>;
}

export function buildUrl(base: string, path: string, query: Query = {}): string {
  const url = new URL(`${base}${path}`);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  return url.toString();
}

function unreachable(apiUrl: string, err: unknown): ApiRequestError {
  const cause = err instanceof Error && err.cause instanceof Error ? (err.cause as Error & { code?: string }) : undefined;
  if (isCertificateError(cause?.code)) {
    return new ApiRequestError(0, 'untrusted_certificate', `the API's TLS certificate at ${apiUrl} is not trusted (${cause?.message}); set FLOTILLA_CA_FILE to the CA that signed it`);
  }
  return new ApiRequestError(0, 'unreachable', `cannot reach the API at ${apiUrl}${cause ? `: ${cause.message}` : ''}`);
}

export function createApiClient(config: CliConfig): ApiClient {
  const auth = (): Record<string, string> => (config.token ? { authorization: `Bearer ${config.token}` } : {});
  const dispatcher = config.ca === undefined ? undefined : new Agent({ connect: { ca: config.ca } });
  const request = async <T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const h: Record<string, string> = { accept: 'application/json', ...auth(), ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    let res: FetchResponse;
    try {
      res = await fetch(url, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), dispatcher });
    } catch (err) {
      throw unreachable(config.apiUrl, err);
    }
    if (!res.ok) throw await toApiRequestError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  };
  // undici's request(), not fetch(): fetch keeps every chunk of a streamed body until the answer (300 MiB
  // pushed held ~320 MB), request() sends with backpressure (the same push peaked at ~130 MB RSS).
  const upload = async <T>(url: string, body: Readable): Promise<T> => {
    let res: Awaited<ReturnType<typeof undiciRequest>>;
    try {
      res = await undiciRequest(url, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/octet-stream', ...auth() },
        body,
        dispatcher,
      });
    } catch (err) {
      throw unreachable(config.apiUrl, err);
    }
    if (res.statusCode >= 400) throw await toApiRequestError({ status: res.statusCode, text: () => res.body.text() });
    return (await res.body.json()) as T;
  };
  const client: ApiClient = {
    baseUrl: config.apiUrl,
    get: (path, query) => request('GET', buildUrl(config.apiUrl, path, query)),
    post: (path, body, headers) => request('POST', buildUrl(config.apiUrl, path), body ?? {}, headers),
    del: (path) => request('DELETE', buildUrl(config.apiUrl, path)),
    upload: (path, query, body) => upload(buildUrl(config.apiUrl, path, query), body),
    async all<T>(path: string, query: Query = {}, max = Number.POSITIVE_INFINITY): Promise<T[]> {
      const out: T[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.get<Page<T>>(path, { ...query, limit: 200, cursor });
        out.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && out.length < max);
      return out.slice(0, max);
    },
    events: (path, query, opts) => readEventStream(buildUrl(config.apiUrl, path, query), { ...opts, headers: auth(), dispatcher }),
    async download(path, query) {
      let res: FetchResponse;
      try {
        res = await fetch(buildUrl(config.apiUrl, path, query), { headers: auth(), dispatcher });
      } catch (err) {
        throw unreachable(config.apiUrl, err);
      }
      if (!res.ok) throw await toApiRequestError(res);
      return res;
    },
  };
  return client;
}
