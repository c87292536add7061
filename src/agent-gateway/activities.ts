// deliverToAgent runs on the gateway holding the device's socket: it hands the execution to the agent
// and heartbeats until the agent's result is stored, then answers the outcome as stored.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { DatabaseHandle } from '../db/client';
import { loadDelivery, markDispatched, readOutcome } from '../db/queries/agent-results';
import { finishExecution } from '../db/queries/execution-state';
import type { StoredAction } from '../domain/work';
import { isFinalExecutionStatus } from '../domain/status';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Action } from '../protocol/v1/action';
import { unseal } from '../security/secrets';
import { DELIVERY_ERRORS, type DeliverInput, type DeviceOutcome, type GatewayActivities } from '../workflows/definitions';
import type { GatewayCounters } from './counters';
import type { SessionRegistry } from './registry';

export interface GatewayActivityDeps {
  db: DatabaseHandle;
  registry: SessionRegistry;
  gatewayId: string;
  secretKey: string | undefined;
  counters: GatewayCounters;
  logger: Logger;
  /** Observes dispatch-to-result latency; none when not given. */
  metrics?: Metrics;
  heartbeatEveryMs?: number;
  /** After a cancel is sent, how long to wait for the agent's (cancelled) result. */
  cancelWaitMs?: number;
}

class UnsendableAction extends Error {}

/** A stored step as the agent gets it: env values unsealed. */
function toAction(stored: StoredAction, secretKey: string | undefined): Action {
  if (stored.type === 'file') return stored;
  const { envSealed, envKeys: _envKeys, ...rest } = stored;
  if (envSealed === undefined) return rest;
  if (!secretKey) throw new UnsendableAction('the action has encrypted env values but this gateway has no FLOTILLA_SECRET_KEY');
  try {
    return { ...rest, env: unseal<Record<string, string>>(envSealed, secretKey) };
  } catch {
    throw new UnsendableAction("the action's env values cannot be decrypted with this gateway's FLOTILLA_SECRET_KEY");
  }
}

const notConnected = (deviceId: string): ApplicationFailure =>
  ApplicationFailure.create({ type: DELIVERY_ERRORS.notConnected, message: `device ${deviceId} has no session on this gateway`, nonRetryable: true });

/** Waits for the promise to settle, at most ms. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((r) => (timer = setTimeout(r, ms)));
  await Promise.race([promise.then(() => undefined, () => undefined), timeout]);
  clearTimeout(timer);
}

export function createGatewayActivities(deps: GatewayActivityDeps): GatewayActivities {
  const { db, registry } = deps;
  const heartbeatEveryMs = deps.heartbeatEveryMs ?? 2_000;
  const cancelWaitMs = deps.cancelWaitMs ?? 10_000;

  async function deliverToAgent({ executionId, deviceId }: DeliverInput): Promise<DeviceOutcome> {
    const ctx = Context.current();
    const row = await loadDelivery(db.orm, executionId);
    if (!row) throw ApplicationFailure.create({ message: `execution ${executionId} does not exist`, nonRetryable: true });
    if (isFinalExecutionStatus(row.status)) {
      const stored = await readOutcome(db.orm, executionId);
      if (stored) return stored;
    }
    if (row.deviceId !== deviceId) {
      throw ApplicationFailure.create({ message: `execution ${executionId} does not belong to device ${deviceId}`, nonRetryable: true });
    }
    if (!registry.get(deviceId)) throw notConnected(deviceId);

    let steps: Action[];
    try {
      steps = row.steps.map((s) => toAction(s, deps.secretKey));
    } catch (err) {
      if (!(err instanceof UnsendableAction)) throw err;
      return finishExecution(db.orm, executionId, 'failed', err.message);
    }

    await markDispatched(db.orm, executionId, deps.gatewayId);
    // No await between finding the session and registering the wait: a close cannot slip in between.
    const session = registry.get(deviceId);
    if (!session) throw notConnected(deviceId);
    const wait = registry.waitForResult(executionId, session.sessionId);
    const heartbeat = setInterval(() => ctx.heartbeat(), heartbeatEveryMs);
    try {
      if (!session.send({ type: 'dispatch', executionId, steps, stepMode: row.stepMode })) throw notConnected(deviceId);
      deps.counters.dispatches += 1;
      const sentAt = performance.now();
      ctx.heartbeat();
      const outcome = await Promise.race([wait.promise, ctx.cancelled]);
      deps.metrics?.dispatchDuration.observe({ status: outcome.status }, (performance.now() - sentAt) / 1000);
      return outcome;
    } catch (err) {
      if (!(err instanceof CancelledFailure)) throw err;
      return await afterCancellation(executionId, deviceId, err, wait.promise);
    } finally {
      clearInterval(heartbeat);
      wait.dispose();
    }
  }

  /** The batch is being cancelled: ask the agent to kill the command and prefer its final result. */
  async function afterCancellation(executionId: string, deviceId: string, cancellation: CancelledFailure, result: Promise<DeviceOutcome>): Promise<DeviceOutcome> {
    // A worker shutdown is not a cancel: the command keeps running and another delivery picks it up.
    if (cancellation.message === 'WORKER_SHUTDOWN') throw cancellation;
    registry.get(deviceId)?.send({ type: 'cancel', executionId });
    deps.logger.info({ executionId, deviceId }, 'cancel sent to agent');
    await settleWithin(result, cancelWaitMs);
    const stored = await readOutcome(db.orm, executionId);
    if (stored) return stored;
    throw cancellation;
  }

  return { deliverToAgent };
}
