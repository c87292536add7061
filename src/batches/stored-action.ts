// What a request runs, as stored: every step with its env values sealed under the server's key and
// dropped, their names kept for display; and the way back, for a new batch with the same definition.
import type { BatchRequest } from '../domain/batch';
import { requestedSteps, type StoredAction, type StoredWork } from '../domain/work';
import type { Action } from '../protocol/v1/action';
import { seal, unseal } from '../security/secrets';
import { BatchRejected } from '../domain/errors';

export function storedAction(action: Action, secretKey: string | undefined): StoredAction {
  if (action.type === 'file' || action.env === undefined) return action;
  const { env, ...rest } = action;
  if (!secretKey) {
    throw new BatchRejected('secret_key_missing', 'this server has no FLOTILLA_SECRET_KEY, so it cannot accept env values');
  }
  return { ...rest, envKeys: Object.keys(env).sort(), envSealed: seal(env, secretKey) };
}

/** The action as it was requested, env values unsealed: the inverse of storedAction. */
export function requestedAction(action: StoredAction, secretKey: string | undefined): Action {
  if (action.type === 'file') return action;
  const { envKeys: _keys, envSealed, ...rest } = action;
  if (envSealed === undefined) return rest;
  if (!secretKey) throw new Error('a stored action has sealed env values but this server has no FLOTILLA_SECRET_KEY');
  return { ...rest, env: unseal<Record<string, string>>(envSealed, secretKey) };
}

/** The request's action or steps as stored on the batch row (a single action is one step). */
export function storedWork(request: Pick<BatchRequest, 'action' | 'steps' | 'stepMode'>, secretKey: string | undefined): StoredWork {
  return { steps: requestedSteps(request).map((a) => storedAction(a, secretKey)), stepMode: request.stepMode ?? 'sequential' };
}

/** Stored work as a request's fields again: a lone step as `action`, several as `steps` with their mode. */
export function requestedWork(work: StoredWork, secretKey: string | undefined): Pick<BatchRequest, 'action' | 'steps' | 'stepMode'> {
  const steps = work.steps.map((s) => requestedAction(s, secretKey));
  return steps.length === 1 ? { action: steps[0] } : { steps, stepMode: work.stepMode };
}
