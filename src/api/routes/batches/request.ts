// What a batch request becomes before it is stored: a fingerprint for Idempotency-Key checks, and
// the action with its env values sealed under the server's key.
import { createHash, createHmac } from 'node:crypto';
import type { BatchRequest, StoredAction } from '../../../domain/batch';
import { seal } from '../../../security/secrets';
import { ApiError } from '../../errors';

/** JSON with object keys sorted at every level, so equal requests serialise equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Fingerprint of the validated request. Keyed with the server's secret when there is one, so the
 * stored hash cannot be used to guess env values.
 */
export function requestHash(request: BatchRequest, secretKey: string | undefined): string {
  const text = canonical(request);
  return secretKey ? createHmac('sha256', Buffer.from(secretKey, 'hex')).update(text).digest('hex') : createHash('sha256').update(text).digest('hex');
}

/** The action as stored: env values sealed and dropped, their names kept for display. */
export function storedAction(action: BatchRequest['action'], secretKey: string | undefined): StoredAction {
  const { env, ...rest } = action;
  if (env === undefined) return rest;
  if (!secretKey) {
    throw new ApiError(400, 'secret_key_missing', 'this server has no FLOTILLA_SECRET_KEY, so it cannot accept env values');
  }
  return { ...rest, envKeys: Object.keys(env).sort(), envSealed: seal(env, secretKey) };
}
