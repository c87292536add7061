// A fingerprint of a batch request for Idempotency-Key checks.
import { createHash, createHmac } from 'node:crypto';
import type { BatchRequest } from '../domain/batch';

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
