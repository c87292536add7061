// The action as stored: env values sealed under the server's key and dropped, their names kept for display.
import type { BatchRequest, StoredAction } from '../domain/batch';
import { seal } from '../security/secrets';
import { BatchRejected } from './rejected';

export function storedAction(action: BatchRequest['action'], secretKey: string | undefined): StoredAction {
  const { env, ...rest } = action;
  if (env === undefined) return rest;
  if (!secretKey) {
    throw new BatchRejected('secret_key_missing', 'this server has no FLOTILLA_SECRET_KEY, so it cannot accept env values');
  }
  return { ...rest, envKeys: Object.keys(env).sort(), envSealed: seal(env, secretKey) };
}
