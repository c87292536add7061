// How a schedule keeps its batch request: once for display with every env value redacted (wherever an
// action carries env: the action, a health check, steps...), and once whole, sealed with AES-256-GCM
// under FLOTILLA_SECRET_KEY, for the runs. Plain env values are never stored.
import type { BatchRequest } from '../domain/batch';
import { BatchRejected } from '../domain/errors';
import { hasEnv, redactEnv, seal, unseal } from '../security/secrets';

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
