// A batch: a sliding window of device workflows over the batch's targets, in target order, with a
// failure threshold, cancellation (API signal or Temporal cancel), a deadline, and continue-as-new
// every MAX_CHILDREN_PER_RUN devices so 10,000-device batches stay far below Temporal's limits.
import {
  CancellationScope,
  ChildWorkflowCancellationType,
  ParentClosePolicy,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { isFailureStatus, type FinalExecutionStatus } from '../domain/status';
import {
  SEARCH_ATTRIBUTES,
  cancelBatchSignal,
  deviceWorkflowId,
  progressQuery,
  type BatchCarry,
  type BatchProgress,
  type BatchWorkflowInput,
  type BatchWorkflowResult,
  type DbActivities,
  type DeviceOutcome,
  type TargetRef,
} from './definitions';
import { deviceWorkflow } from './device';

const db = proxyLocalActivities<DbActivities>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '200ms', maximumInterval: '10s', backoffCoefficient: 2 },
});

/** Children started per run before continuing as new (each costs ~3 parent history events). */
export const MAX_CHILDREN_PER_RUN = 1000;
const TARGET_PAGE = 250;

export async function batchWorkflow(input: BatchWorkflowInput): Promise<BatchWorkflowResult> {
  const carry: BatchCarry = input.carry ?? {
    nextSeq: 0,
    started: 0,
    failures: 0,
    counts: {},
    deadlineAt: input.deadlineSec ? Date.now() + input.deadlineSec * 1000 : null,
    stopping: 'no',
  };
  const counts = { ...carry.counts };
  let { nextSeq, started, failures, stopping } = carry;
  let inFlight = 0;
  let startedThisRun = 0;
  let buffer: TargetRef[] = [];
  const { batchId, targetCount, strategy } = input;

  const completed = (): number => Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  const progress = (): BatchProgress => ({
    batchId,
    targetCount,
    started,
    inFlight,
    completed: completed(),
    failures,
    counts: { ...counts },
    stopping,
    percent: targetCount === 0 ? 100 : Math.round((completed() / targetCount) * 1000) / 10,
  });
  const describe = (): void => {
    const p = progress();
    setCurrentDetails(
      `**${p.completed}/${targetCount}** done (${p.percent}%), ${inFlight} running, ${failures} failed` +
        (stopping === 'no' ? '' : `, stopping: ${stopping}`),
    );
  };
  setHandler(progressQuery, progress);

  // Children are started inside this scope so an API cancel can cancel exactly them; a Temporal cancel of
  // the batch reaches them too, since the scope is a child of the workflow's root scope.
  const children = new CancellationScope();
  const stop = (why: BatchProgress['stopping']): void => {
    if (stopping === 'cancel' || stopping === 'deadline') return;
    stopping = why;
    if (why === 'cancel' || why === 'deadline') children.cancel();
    describe();
  };
  setHandler(cancelBatchSignal, () => stop('cancel'));
  if (carry.deadlineAt !== null) {
    const wait = carry.deadlineAt - Date.now();
    if (wait <= 0) stop('deadline');
    else void sleep(wait).then(() => stop('deadline'), () => undefined);
  }

  const record = (status: FinalExecutionStatus): void => {
    counts[status] = (counts[status] ?? 0) + 1;
    inFlight--;
    if (isFailureStatus(status)) {
      failures++;
      if (strategy.maxFailures !== null && failures > strategy.maxFailures && stopping === 'no') stop('threshold');
    }
    describe();
  };

  const launch = (t: TargetRef): void => {
    inFlight++;
    started++;
    startedThisRun++;
    const run = children.run(() =>
      executeChild(deviceWorkflow, {
        workflowId: deviceWorkflowId(batchId, t.deviceId),
        args: [
          {
            batchId,
            executionId: t.executionId,
            deviceId: t.deviceId,
            deliveryTimeoutSec: input.deliveryTimeoutSec,
            timeoutSec: input.timeoutSec,
          },
        ],
        staticSummary: `${t.deviceName}: ${input.summary}`,
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.batchId, value: batchId },
          { key: SEARCH_ATTRIBUTES.owner, value: input.owner },
          { key: SEARCH_ATTRIBUTES.deviceId, value: t.deviceId },
        ],
        cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
        // Terminating a batch still asks its devices to stop their commands and record a status.
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      }),
    );
    run.then(
      (outcome: DeviceOutcome) => record(outcome.status),
      (err: unknown) => record(isCancellation(err) ? 'cancelled' : 'failed'),
    );
  };

  const finish = async (): Promise<BatchWorkflowResult> => {
    await condition(() => inFlight === 0);
    const reason = stopping === 'no' ? null : stopping;
    const result = await db.finishBatch({
      batchId,
      leftover: stopping === 'threshold' || stopping === 'no' ? 'skipped' : 'cancelled',
      reason,
      error:
        reason === 'threshold'
          ? `stopped after ${failures} failures (maxFailures ${strategy.maxFailures})`
          : reason === 'deadline'
            ? `deadline of ${input.deadlineSec}s reached`
            : reason === 'cancel'
              ? 'cancelled'
              : null,
    });
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: result.status }]);
    setCurrentDetails(`**${result.status}**: ${JSON.stringify(result.counts)}`);
    return result;
  };

  try {
    if (!input.carry) await db.markBatchRunning(batchId);
    describe();
    for (;;) {
      while (stopping === 'no' && inFlight < strategy.concurrency && startedThisRun < MAX_CHILDREN_PER_RUN) {
        if (buffer.length === 0) {
          if (nextSeq >= targetCount) break;
          buffer = await db.loadTargets(batchId, nextSeq, TARGET_PAGE);
          if (buffer.length === 0) {
            nextSeq = targetCount;
            break;
          }
        }
        const next = buffer.shift() as TargetRef;
        nextSeq = next.seq + 1;
        launch(next);
      }
      const moreToStart = nextSeq < targetCount || buffer.length > 0;
      if (stopping !== 'no' || !moreToStart) return await finish();
      if (startedThisRun >= MAX_CHILDREN_PER_RUN || workflowInfo().continueAsNewSuggested) {
        // Drain, then start a fresh history carrying only counters: no child is pending across runs.
        await condition(() => inFlight === 0);
        if (stopping !== 'no') return await finish();
        const next: BatchCarry = { nextSeq: buffer[0]?.seq ?? nextSeq, started, failures, counts, deadlineAt: carry.deadlineAt, stopping };
        return await continueAsNew<typeof batchWorkflow>({ ...input, carry: next });
      }
      await condition(() => stopping !== 'no' || inFlight < strategy.concurrency);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled from the Temporal UI or CLI: the children were cancelled with us; wait for them to record
    // their statuses, end the rest, and report the batch cancelled.
    stopping = 'cancel';
    await CancellationScope.nonCancellable(finish);
    throw err;
  }
}
