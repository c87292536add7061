// deliverToAgent runs on the gateway holding the device's socket: it hands the execution to the agent
// and heartbeats until the agent's result is stored, then answers the outcome as stored.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { DatabaseHandle } from '../db/client';
import { loadDelivery, markDispatched, readOutcome, type DeliveryRow } from '../db/queries/agent-results';
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

/**
 * A brief delivery that handed the command over but has no result here: still running when its time was up,
 * or the agent disconnected meanwhile. The device workflow follows up with the activity on that gateway,
 * which attaches to the command, or fails as not connected and the workflow waits for the device again.
 */
export const STILL_RUNNING = 'still-running';

/** Hands a command over here without an activity task, and stops it again: see createBriefDelivery. */
export interface BriefDelivery {
  /** `row`: the execution as loadDelivery reads it, when the caller has just read it. */
  deliver(input: DeliverInput, withinMs: number, row?: DeliveryRow): Promise<DeviceOutcome | typeof STILL_RUNNING | 'not-here'>;
  /** Asks the agent to kill the command and waits (up to cancelWaitMs) for the status it reports. */
  stop(input: DeliverInput): Promise<void>;
}

/**
 * One delivery to the agent on this gateway. As an activity (`withinMs` undefined) it heartbeats and waits
 * for the result however long the command runs; as a brief delivery (a local activity of the workflow
 * worker in this process) it waits at most withinMs, then answers STILL_RUNNING and the device workflow
 * follows up with the activity, which re-sends the dispatch (the agent never runs an execution twice:
 * it answers a re-sent dispatch with the result it has, or later).
 */
function deliverer(deps: GatewayActivityDeps) {
  const { db, registry } = deps;
  const heartbeatEveryMs = deps.heartbeatEveryMs ?? 2_000;
  const cancelWaitMs = deps.cancelWaitMs ?? 10_000;

  async function deliver({ executionId, deviceId }: DeliverInput, withinMs?: number, preloaded?: DeliveryRow): Promise<DeviceOutcome | typeof STILL_RUNNING> {
    const ctx = Context.current();
    const row = preloaded ?? (await loadDelivery(db.orm, executionId));
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
    const brief = withinMs !== undefined;
    const heartbeat = brief ? undefined : setInterval(() => ctx.heartbeat(), heartbeatEveryMs);
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!session.send({ type: 'dispatch', executionId, steps, stepMode: row.stepMode })) throw notConnected(deviceId);
      deps.counters.dispatches += 1;
      const sentAt = performance.now();
      if (!brief) ctx.heartbeat();
      const waited = brief ? [new Promise<typeof STILL_RUNNING>((r) => (timer = setTimeout(() => r(STILL_RUNNING), withinMs)))] : [];
      const outcome = await Promise.race([wait.promise, ctx.cancelled, ...waited]);
      if (outcome === STILL_RUNNING) return outcome;
      deps.metrics?.dispatchDuration.observe({ status: outcome.status }, (performance.now() - sentAt) / 1000);
      return outcome;
    } catch (err) {
      if (!(err instanceof CancelledFailure)) throw err;
      return await afterCancellation(executionId, deviceId, err, wait.promise);
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timer);
      wait.dispose();
    }
  }

  /** Asks the agent to kill the command and waits, up to cancelWaitMs, for the result it then reports. */
  async function cancelOnAgent(executionId: string, deviceId: string, result: Promise<DeviceOutcome>): Promise<void> {
    registry.get(deviceId)?.send({ type: 'cancel', executionId });
    deps.logger.info({ executionId, deviceId }, 'cancel sent to agent');
    await settleWithin(result, cancelWaitMs);
  }

  /** A command handed over by a brief delivery whose device workflow is being cancelled. */
  async function stop({ executionId, deviceId }: DeliverInput): Promise<void> {
    const session = registry.get(deviceId);
    if (!session) return;
    const wait = registry.waitForResult(executionId, session.sessionId);
    try {
      await cancelOnAgent(executionId, deviceId, wait.promise);
    } finally {
      wait.dispose();
    }
  }

  /** The batch is being cancelled: ask the agent to kill the command and prefer its final result. */
  async function afterCancellation(executionId: string, deviceId: string, cancellation: CancelledFailure, result: Promise<DeviceOutcome>): Promise<DeviceOutcome> {
    // A worker shutdown is not a cancel: the command keeps running and another delivery picks it up.
    if (cancellation.message === 'WORKER_SHUTDOWN') throw cancellation;
    await cancelOnAgent(executionId, deviceId, result);
    const stored = await readOutcome(db.orm, executionId);
    if (stored) return stored;
    throw cancellation;
  }

  return { deliver, stop };
}

export function createGatewayActivities(deps: GatewayActivityDeps): GatewayActivities {
  const { deliver } = deliverer(deps);
  return {
    deliverToAgent: async (input) => {
      const outcome = await deliver(input);
      if (outcome === STILL_RUNNING) throw new Error('an activity delivery waits for the result');
      return outcome;
    },
  };
}

/**
 * Delivery for the workflow worker of this same process (src/agent-gateway/in-process.ts): run inside a
 * local activity, it saves the device workflow an activity task, several history events and two
 * round trips through Temporal whenever the device's socket is here.
 */
export function createBriefDelivery(deps: GatewayActivityDeps): BriefDelivery {
  const { deliver, stop } = deliverer(deps);
  return {
    async deliver(input, withinMs, row) {
      if (!deps.registry.get(input.deviceId)) return 'not-here';
      try {
        return await deliver(input, withinMs, row);
      } catch (err) {
        if (!(err instanceof ApplicationFailure)) throw err;
        if (err.type === DELIVERY_ERRORS.notConnected) return 'not-here';
        if (err.type === DELIVERY_ERRORS.disconnected) return STILL_RUNNING;
        throw err;
      }
    },
    stop,
  };
}
