// The action as stored: env values sealed under the server's key and dropped, their names kept for display.
import type { BatchRequest, StoredAction } from '../domain/batch';
import { seal, unseal } from '../security/secrets';
import { BatchRejected } from './rejected';

export function storedAction(action: BatchRequest['action'], secretKey: string | undefined): StoredAction {
  const { env, ...rest } = action;
  if (env === undefined) return rest;
  if (!secretKey) {
    throw new BatchRejected('secret_key_missing', 'this server has no FLOTILLA_SECRET_KEY, so it cannot accept env values');
  }
  return { ...rest, envKeys: Object.keys(env).sort(), envSealed: seal(env, secretKey) };
}

/** The action as it was requested, env values unsealed: the inverse of storedAction. */
export function requestedAction(action: StoredAction, secretKey: string | undefined): BatchRequest['action'] {
  const { envKeys: _keys, envSealed, ...rest } = action;
  if (envSealed === undefined) return rest;
  if (!secretKey) throw new Error('a stored action has sealed env values but this server has no FLOTILLA_SECRET_KEY');
  return { ...rest, env: unseal<Record<string, string>>(envSealed, secretKey) };
}
