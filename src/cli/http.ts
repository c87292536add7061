// The CLI's only way to the system: JSON over HTTP to the /v1 API with a bearer token.
import type { CliConfig } from '../config';

/** An answer from the API that is not a success, or no answer at all; the CLI exits 2 on it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | string[] | number | undefined>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ApiClient {
  baseUrl: string;
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  del(path: string): Promise<void>;
  /** Follows nextCursor until the end (or until max items). */
  all<T>(path: string, query?: Query, max?: number): Promise<T[]>;
}

export function buildUrl(base: string, path: string, query: Query = {}): string {
  const url = new URL(`${base}${path}`);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  return url.toString();
}

export async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.message) return new ApiError(res.status, body.error.code ?? 'error', body.error.message, body.error.details);
  } catch {
    // not JSON: fall through with the raw text
  }
  return new ApiError(res.status, 'http_error', `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

export function createApiClient(config: CliConfig): ApiClient {
  const request = async <T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const h: Record<string, string> = { accept: 'application/json', ...headers };
    if (config.token) h.authorization = `Bearer ${config.token}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new ApiError(0, 'unreachable', `cannot reach the API at ${config.apiUrl}${cause}`);
    }
    if (!res.ok) throw await toApiError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  };
  const client: ApiClient = {
    baseUrl: config.apiUrl,
    get: (path, query) => request('GET', buildUrl(config.apiUrl, path, query)),
    post: (path, body, headers) => request('POST', buildUrl(config.apiUrl, path), body ?? {}, headers),
    del: (path) => request('DELETE', buildUrl(config.apiUrl, path)),
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
  };
  return client;
}
