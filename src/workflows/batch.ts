// A batch: device workflows over the batch's targets in target order, as a sliding window (parallel,
// sequential) or in rolling waves, with a failure threshold, pause/resume, cancellation (API signal or
// Temporal cancel), a deadline, and continue-as-new every MAX_CHILDREN_PER_RUN devices so
// 10,000-device batches stay far below Temporal's limits.
import {
  CancellationScope,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { finishedBatchDetails } from './batch-details';
import { BatchRun, db, freshCarry } from './batch-run';
import {
  SEARCH_ATTRIBUTES,
  batchWorkflowId,
  cancelBatchSignal,
  pauseBatchSignal,
  progressQuery,
  resumeBatchSignal,
  type BatchWorkflowInput,
  type BatchWorkflowResult,
} from './definitions';
import { batchSearchAttributes, childOptions } from './options';
import { runWaves } from './waves';

/** Children started per run before continuing as new (each costs ~3 parent history events). */
export const MAX_CHILDREN_PER_RUN = 1000;

/** Pause/resume handlers exist only for executions that reach this code fresh, never on an old replay. */
const PAUSE_PATCH = 'batch-pause-resume';

function stopMessage(run: BatchRun): string | null {
  const { strategy, deadlineSec } = run.input;
  switch (run.stopping) {
    case 'threshold':
      return `stopped after ${run.failures} failures (maxFailures ${strategy.maxFailures})`;
    case 'wave_threshold':
      return `stopped after wave ${run.wavesDone + 1}: ${run.waveFailures} failures (maxFailuresPerWave ${strategy.waves?.maxFailuresPerWave})`;
    case 'deadline':
      return `deadline of ${deadlineSec}s reached`;
    case 'cancel':
      return 'cancelled';
    default:
      return null;
  }
}

async function finish(run: BatchRun): Promise<BatchWorkflowResult> {
  await condition(() => run.inFlight === 0);
  const s = run.stopping;
  const reason = s === 'no' ? null : s === 'wave_threshold' ? 'threshold' : s;
  const result = await db.finishBatch({
    batchId: run.input.batchId,
    leftover: reason === 'threshold' || reason === null ? 'skipped' : 'cancelled',
    reason,
    error: stopMessage(run),
  });
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: result.status }]);
  setCurrentDetails(finishedBatchDetails(run.input, result.status, result.counts));
  return result;
}

/** A health check batch runs as this batch's child, by this same workflow. */
function runChildBatch(parent: BatchWorkflowInput): (input: BatchWorkflowInput) => Promise<BatchWorkflowResult> {
  return (input) =>
    executeChild(batchWorkflow, {
      ...childOptions({
        workflowId: batchWorkflowId(input.batchId),
        staticSummary: `health check of wave ${input.healthCheckOf?.wave ?? '?'}: ${input.summary}`,
        typedSearchAttributes: batchSearchAttributes({ batchId: input.batchId, owner: parent.owner }),
      }),
      args: [input],
    });
}

export async function batchWorkflow(input: BatchWorkflowInput): Promise<BatchWorkflowResult> {
  const carry = input.carry ?? freshCarry(input, Date.now());
  const run = new BatchRun(input, carry);
  const { strategy } = input;
  setHandler(progressQuery, () => run.progress());
  setHandler(cancelBatchSignal, () => run.stop('cancel'));
  if (patched(PAUSE_PATCH)) {
    setHandler(pauseBatchSignal, () => run.pause('operator'));
    setHandler(resumeBatchSignal, () => run.resume());
  }
  if (carry.deadlineAt !== null) {
    const wait = carry.deadlineAt - Date.now();
    if (wait <= 0) run.stop('deadline');
    else void sleep(wait).then(() => run.stop('deadline'), () => undefined);
  }
  const mustContinue = (): boolean => run.startedThisRun >= MAX_CHILDREN_PER_RUN || workflowInfo().continueAsNewSuggested;
  const continueRun = (): Promise<never> => continueAsNew<typeof batchWorkflow>({ ...input, carry: run.carryOn() });

  try {
    if (!input.carry) await db.markBatchRunning(input.batchId);
    run.describe();
    if (strategy.waves) {
      const w = strategy.waves;
      const roomForAnotherWave = (): boolean => run.startedThisRun + w.size <= MAX_CHILDREN_PER_RUN && !workflowInfo().continueAsNewSuggested;
      if ((await runWaves(run, w, runChildBatch(input), roomForAnotherWave)) === 'continue') return await continueRun();
      return await finish(run);
    }
    for (;;) {
      while (run.stopping === 'no' && run.paused === null && run.inFlight < strategy.concurrency && run.canStartAnother() && run.startedThisRun < MAX_CHILDREN_PER_RUN) {
        const target = await run.nextTarget();
        if (!target) break;
        run.launch(target);
      }
      if (run.stopping !== 'no' || !run.moreToStart()) return await finish(run);
      if (mustContinue()) {
        // Drain, then start a fresh history carrying only counters: no child is pending across runs.
        await run.waitFor(() => run.inFlight === 0);
        if (run.stopping !== 'no') return await finish(run);
        return await continueRun();
      }
      await run.waitFor(() => run.paused === null && run.inFlight < strategy.concurrency && run.canStartAnother());
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled from the Temporal UI or CLI: the children were cancelled with us; wait for them to record
    // their statuses, end the rest, and report the batch cancelled.
    run.cancelledByTemporal();
    await CancellationScope.nonCancellable(() => finish(run));
    throw err;
  }
}
