// The action of every Flotilla schedule: create this run's batch (targets resolved now) and run it as a
// child batchWorkflow, waiting for it, so Temporal's overlap policies act on real runs: skip and buffer
// wait for it, cancel_other cancels it (its devices are cancelled), terminate_other ends it through the
// child's REQUEST_CANCEL parent-close policy. A run that cannot start a batch ends normally with a
// failed result, recorded in PostgreSQL; the schedule keeps going.
import { executeChild, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { batchWorkflow } from './batch';
import { batchWorkflowId, type ScheduleActivities, type ScheduledBatchInput, type ScheduledBatchResult } from './definitions';
import { batchSearchAttributes, childOptions, localDbActivityOptions } from './options';

const activities = proxyLocalActivities<ScheduleActivities>(localDbActivityOptions('60s'));

export async function scheduledBatchWorkflow({ scheduleId }: ScheduledBatchInput): Promise<ScheduledBatchResult> {
  const run = await activities.startScheduledRun(scheduleId, workflowInfo().workflowId);
  if (run.kind === 'failed') return { scheduleId, batchId: null, status: 'failed', error: run.reason };
  const { batch } = run;
  const n = batch.targetCount;
  const result = await executeChild(batchWorkflow, {
    ...childOptions({
      workflowId: batchWorkflowId(batch.batchId),
      staticSummary: `${batch.summary} on ${n} ${n === 1 ? 'device' : 'devices'} (schedule ${run.scheduleName})`,
      typedSearchAttributes: batchSearchAttributes({ batchId: batch.batchId, owner: batch.owner, scheduleId }),
    }),
    args: [batch],
  });
  return { scheduleId, batchId: batch.batchId, status: result.status, error: null };
}
