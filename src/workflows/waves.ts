// Waves mode: the targets in fixed-size waves, in target order. A whole wave is dispatched at once and
// must end (health check included) before the next starts. Failures of a wave beyond
// maxFailuresPerWave stop the batch (the rest end `skipped`, as with maxFailures, which still counts
// across every wave); approveAfterFirstWave pauses the batch after wave 1 until it is resumed.
import { isCancellation, uuid4 } from '@temporalio/workflow';
import { isFailureStatus } from '../domain/status';
import type { ResolvedWaves } from '../domain/waves';
import type { BatchRun } from './batch-run';
import { db } from './batch-run';
import type { BatchWorkflowInput, BatchWorkflowResult } from './definitions';

/** Runs a health check batch as a child of this batch and answers its result. */
export type RunChildBatch = (input: BatchWorkflowInput) => Promise<BatchWorkflowResult>;

/** Runs waves until the batch stops, every target is done, or this run should continue as new. */
export async function runWaves(run: BatchRun, w: ResolvedWaves, runChild: RunChildBatch, roomForAnotherWave: () => boolean): Promise<'finish' | 'continue'> {
  for (;;) {
    const fromSeq = run.resumeSeq();
    run.beginWave();
    let launched = 0;
    while (launched < w.size) {
      await run.waitFor(() => run.paused === null && run.canStartAnother());
      if (run.stopping !== 'no') break;
      const target = await run.nextTarget();
      if (!target) break;
      run.launch(target);
      launched++;
    }
    await run.waitFor(() => run.inFlight === 0);
    if (run.stopping !== 'no') return 'finish';
    if (w.healthCheck && launched > 0) await healthCheck(run, runChild, fromSeq, run.nextSeq);
    if (w.maxFailuresPerWave !== null && run.waveFailures > w.maxFailuresPerWave) run.stop('wave_threshold');
    if (run.stopping !== 'no' || !run.moreToStart()) return 'finish';
    run.endWave();
    if (run.wavesDone === 1 && w.approveAfterFirstWave) run.pause('approval');
    else if (w.pauseBetweenSec > 0) await run.sleep(w.pauseBetweenSec * 1000);
    if (!roomForAnotherWave()) return 'continue';
  }
}

/** Each device of the wave whose health check does not succeed is one more failure of the wave and the batch. */
async function healthCheck(run: BatchRun, runChild: RunChildBatch, fromSeq: number, toSeq: number): Promise<void> {
  const input = await db.createHealthCheck({
    parentBatchId: run.input.batchId,
    healthCheckBatchId: uuid4(),
    wave: run.wavesDone + 1,
    fromSeq,
    toSeq,
  });
  if (!input) return;
  try {
    const result = await run.children.run(() => runChild(input));
    const failed = Object.entries(result.counts).reduce((n, [status, count]) => n + (isFailureStatus(status) ? (count ?? 0) : 0), 0);
    run.countFailures(failed);
  } catch (err) {
    if (isCancellation(err)) return;
    // The check itself broke down: none of the wave's devices can be called healthy.
    run.countFailures(input.targetCount);
  }
}
