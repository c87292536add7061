// One device's part of a batch: find the gateway holding its agent, hand the command over, and make
// sure the execution ends in exactly one final status, whatever disconnects or cancels on the way.
import {
  ActivityCancellationType,
  ActivityFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { recheckDelayMs } from '../domain/presence-recheck';
import type { ExecutionStatus } from '../domain/status';
import { outcomeDetails, runningDetails, waitingDetails } from './device-details';
import {
  SEARCH_ATTRIBUTES,
  deviceConnectedSignal,
  gatewayTaskQueue,
  type DbActivities,
  type DeviceOutcome,
  type DeviceWorkflowInput,
  type GatewayActivities,
} from './definitions';
import { localDbActivityOptions } from './options';

const db = proxyLocalActivities<DbActivities>(localDbActivityOptions('30s'));
/** On cancel, the delivery tells the agent to stop and waits for the status it stores, like deliverToAgent. */
const here = proxyLocalActivities<DbActivities>({ ...localDbActivityOptions('30s'), cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED });

/**
 * A device connected to a gateway of the worker's own process gets its command from the local activity
 * that checks presence (checkAndDeliverHere), with no activity task: executions that reach this code fresh.
 */
const LOCAL_DELIVERY_PATCH = 'device-local-delivery';

/** Executions started before RARE_RECHECKS re-checked presence this often while waiting for a device. */
const RECHECK_MS = 5_000;
/**
 * Waits for an offline device on the gateway's wake-up signal and re-checks rarely, backing off (see
 * src/domain/presence-recheck.ts); the wake flag is cleared before each check, so a signal that arrives
 * during the check is not lost. Executions started before replay the fixed RECHECK_MS waits.
 */
const RARE_RECHECKS = 'device-rare-rechecks';
/** How long an activity may wait on a gateway's queue, and how long a gateway may stay silent. */
const GATEWAY_PICKUP = '10s';
const GATEWAY_HEARTBEAT = '10s';
/** Time beyond the command's own timeout for the agent to kill it and report. */
const RESULT_GRACE_SEC = 60;

function deliverVia(gatewayId: string, timeoutSec: number): GatewayActivities {
  return proxyActivities<GatewayActivities>({
    taskQueue: gatewayTaskQueue(gatewayId),
    scheduleToStartTimeout: GATEWAY_PICKUP,
    startToCloseTimeout: `${timeoutSec + RESULT_GRACE_SEC}s`,
    heartbeatTimeout: GATEWAY_HEARTBEAT,
    // A failed delivery is retried by this workflow after re-checking where the device is, never blindly
    // on the same gateway's queue (that gateway may be gone).
    retry: { maximumAttempts: 1 },
    // On cancel, wait for the gateway to stop the command and store what the agent reports.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
}

const wasHandedOver = (s: ExecutionStatus): boolean => s === 'dispatched' || s === 'running';

/** Waits for the wake-up signal or the next re-check; answers whether the signal came. */
type WaitForDevice = (remainingMs: number) => Promise<boolean>;

/**
 * The waits for an offline device. RARE_RECHECKS is decided at the first wait, so a device delivered at
 * once records no patch marker; until then the wake flag is still false whatever the timing.
 */
function deviceWaits(): { beforeCheck(): void; online(): void; wait: WaitForDevice } {
  let woken = false;
  setHandler(deviceConnectedSignal, () => {
    woken = true;
  });
  let rare: boolean | undefined;
  let attempt = 0;
  return {
    beforeCheck: () => {
      if (rare) woken = false;
    },
    online: () => {
      attempt = 0;
    },
    wait: (remainingMs) => {
      rare ??= patched(RARE_RECHECKS);
      if (rare) return condition(() => woken, recheckDelayMs(attempt++, remainingMs));
      woken = false;
      return condition(() => woken, Math.min(remainingMs, RECHECK_MS));
    },
  };
}

/** The final status goes into FlotillaStatus only for executions that reach this code fresh, never on an old replay. */
const OUTCOME_ATTRIBUTE_PATCH = 'device-status-attribute';

export async function deviceWorkflow(input: DeviceWorkflowInput): Promise<DeviceOutcome> {
  const showStatus = patched(OUTCOME_ATTRIBUTE_PATCH);
  const ended = (outcome: DeviceOutcome): DeviceOutcome => {
    setCurrentDetails(outcomeDetails(outcome));
    if (showStatus) upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: outcome.status }]);
    return outcome;
  };
  const handedOver: HandedOver = { here: null };
  try {
    return ended(await deliver(input, handedOver));
  } catch (err) {
    if (isCancellation(err)) {
      const stopped = CancellationScope.nonCancellable(async () => {
        const gatewayId = handedOver.here;
        if (gatewayId) await db.stopHere({ executionId: input.executionId, deviceId: input.deviceId }, gatewayId);
        return db.finishExecution(input.executionId, 'cancelled', 'the batch was cancelled');
      });
      ended(await stopped);
    }
    throw err;
  }
}

/** The gateway (of this worker's process) a brief delivery left the command running on, if any. */
interface HandedOver {
  here: string | null;
}

async function deliver(input: DeviceWorkflowInput, handedOver: HandedOver): Promise<DeviceOutcome> {
  const deviceName = input.deviceName ?? input.deviceId;
  const waits = deviceWaits();
  const windowMs = input.deliveryTimeoutSec * 1000;
  let waitUntil = Date.now() + windowMs;
  let lastStatus: ExecutionStatus = 'queued';
  const deliverHere = patched(LOCAL_DELIVERY_PATCH);
  for (;;) {
    waits.beforeCheck();
    const presence = deliverHere
      ? await here.checkAndDeliverHere({ executionId: input.executionId, deviceId: input.deviceId })
      : await db.checkPresence(input.executionId);
    if (presence.kind === 'final') return presence.outcome;
    lastStatus = presence.status;
    handedOver.here = deliverHere && presence.kind === 'online' && wasHandedOver(presence.status) ? presence.gatewayId : null;
    if (presence.kind === 'online') {
      waits.online();
      setCurrentDetails(runningDetails(presence.gatewayId, Date.now()));
      try {
        return await deliverVia(presence.gatewayId, input.timeoutSec).deliverToAgent({
          executionId: input.executionId,
          deviceId: input.deviceId,
        });
      } catch (err) {
        if (isCancellation(err) || !(err instanceof ActivityFailure)) throw err;
        // Not connected there after all, disconnected mid-command, or the gateway died: the device gets
        // a fresh delivery window to come back (to any gateway).
        waitUntil = Date.now() + windowMs;
      }
    }
    const remaining = waitUntil - Date.now();
    if (remaining <= 0) {
      return wasHandedOver(lastStatus)
        ? await db.finishExecution(
            input.executionId,
            'failed',
            `the agent lost its connection while the command was running and did not return within ${input.deliveryTimeoutSec}s`,
          )
        : await db.finishExecution(
            input.executionId,
            'undeliverable',
            `the device stayed offline for the whole delivery window of ${input.deliveryTimeoutSec}s`,
          );
    }
    setCurrentDetails(waitingDetails(deviceName, waitUntil));
    await waits.wait(remaining);
  }
}
