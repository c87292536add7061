// How a schedule keeps its batch request: once for display with every env value redacted (wherever an
// action carries env: the action, a health check, steps...), and once whole, sealed with AES-256-GCM
// under FLOTILLA_SECRET_KEY, for the runs. Plain env values are never stored.
import type { BatchRequest } from '../domain/batch';
import { BatchRejected } from '../domain/errors';
import { seal, unseal } from '../security/secrets';

export const REDACTED_VALUE = '***';

function mapEnv(value: unknown, onEnv: (env: Record<string, unknown>) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapEnv(v, onEnv));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) =>
      k === 'env' && v !== null && typeof v === 'object' && !Array.isArray(v) ? [k, onEnv(v as Record<string, unknown>)] : [k, mapEnv(v, onEnv)],
    ),
  );
}

export function redactEnv<T>(value: T): T {
  return mapEnv(value, (env) => Object.fromEntries(Object.keys(env).map((k) => [k, REDACTED_VALUE]))) as T;
}

function hasEnv(value: unknown): boolean {
  let found = false;
  mapEnv(value, (env) => {
    if (Object.keys(env).length > 0) found = true;
    return env;
  });
  return found;
}

export interface StoredScheduleBatch {
  shown: BatchRequest;
  sealed: string | null;
}

export function storeRequest(request: BatchRequest, secretKey: string | undefined): StoredScheduleBatch {
  if (secretKey) return { shown: redactEnv(request), sealed: seal(request, secretKey) };
  if (hasEnv(request)) throw new BatchRejected('secret_key_missing', 'this server has no FLOTILLA_SECRET_KEY, so it cannot accept env values');
  return { shown: request, sealed: null };
}

/** The request a run uses; a sealed one needs the same key it was sealed with. */
export function runRequest(stored: { batch: BatchRequest; batchSealed: string | null }, secretKey: string | undefined): BatchRequest {
  if (stored.batchSealed === null) return stored.batch;
  if (!secretKey) throw new BatchRejected('secret_key_missing', 'this worker has no FLOTILLA_SECRET_KEY to open the stored request');
  return unseal<BatchRequest>(stored.batchSealed, secretKey);
}
