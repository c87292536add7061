// Secrets at rest: env values are sealed with AES-256-GCM under the server's key and shown only as
// REDACTED; tokens are random, shown once, and stored only as sha256 hashes compared in constant time.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random token of `bytes` random bytes (base64url), prefixed so a leaked one is recognisable. */
export function newToken(prefix: string, bytes = 24): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Seals a JSON-serialisable value; the result is `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function seal(value: unknown, keyHex: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv);
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function unseal<T>(sealed: string, keyHex: string): T {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !ct) throw new Error('unknown sealed value format');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const pt = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
  return JSON.parse(pt.toString('utf8')) as T;
}

/** What the API shows in place of every env value. */
export const REDACTED = '***';

/** The env of an action whose values are sealed: its names, each with REDACTED. */
export function redactedEnv(keys: readonly string[]): Record<string, typeof REDACTED> {
  return Object.fromEntries(keys.map((k) => [k, REDACTED] as const));
}

function mapEnv(value: unknown, onEnv: (env: Record<string, unknown>) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapEnv(v, onEnv));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) =>
      k === 'env' && v !== null && typeof v === 'object' && !Array.isArray(v) ? [k, onEnv(v as Record<string, unknown>)] : [k, mapEnv(v, onEnv)],
    ),
  );
}

/** A copy with every env value REDACTED, wherever a value carries `env` (an action, a health check, steps...). */
export function redactEnv<T>(value: T): T {
  return mapEnv(value, (env) => redactedEnv(Object.keys(env))) as T;
}

/** Whether any `env` inside the value has at least one entry. */
export function hasEnv(value: unknown): boolean {
  let found = false;
  mapEnv(value, (env) => {
    if (Object.keys(env).length > 0) found = true;
    return env;
  });
  return found;
}
