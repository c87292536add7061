// The action of every Flotilla schedule: create this run's batch (targets resolved now) and run it as a
// child batchWorkflow, waiting for it, so Temporal's overlap policies act on real runs: skip and buffer
// wait for it, cancel_other cancels it (its devices are cancelled), terminate_other ends it through the
// child's REQUEST_CANCEL parent-close policy. A run that cannot start a batch ends normally with a
// failed result, recorded in PostgreSQL; the schedule keeps going.
import { ChildWorkflowCancellationType, ParentClosePolicy, executeChild, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { batchWorkflow } from './batch';
import {
  SEARCH_ATTRIBUTES,
  batchWorkflowId,
  type ScheduleActivities,
  type ScheduledBatchInput,
  type ScheduledBatchResult,
} from './definitions';

const activities = proxyLocalActivities<ScheduleActivities>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '200ms', maximumInterval: '10s', backoffCoefficient: 2 },
});

export async function scheduledBatchWorkflow({ scheduleId }: ScheduledBatchInput): Promise<ScheduledBatchResult> {
  const run = await activities.startScheduledRun(scheduleId, workflowInfo().workflowId);
  if (run.kind === 'failed') return { scheduleId, batchId: null, status: 'failed', error: run.reason };
  const { batch } = run;
  const n = batch.targetCount;
  const result = await executeChild(batchWorkflow, {
    workflowId: batchWorkflowId(batch.batchId),
    args: [batch],
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTES.batchId, value: batch.batchId },
      { key: SEARCH_ATTRIBUTES.owner, value: batch.owner },
      { key: SEARCH_ATTRIBUTES.status, value: 'running' },
      { key: SEARCH_ATTRIBUTES.scheduleId, value: scheduleId },
    ],
    staticSummary: `${batch.summary} on ${n} ${n === 1 ? 'device' : 'devices'} (schedule ${run.scheduleName})`,
    cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  });
  return { scheduleId, batchId: batch.batchId, status: result.status, error: null };
}
