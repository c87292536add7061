// What the workflows ask Temporal for, each written once: the retry policy of the local database
// activities, the search attributes a batch workflow carries, and the options of every child workflow
// (devices, health check batches, a schedule's batch). Running executions replay these: changing a
// value changes their commands (see test/workflows/replay.test.ts).
import type { SearchAttributePair } from '@temporalio/common';
import { ChildWorkflowCancellationType, ParentClosePolicy, type ChildWorkflowOptions, type LocalActivityOptions } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES } from './definitions';

/** Local activities on the worker's own database: retried with capped backoff until their timeout. */
export function localDbActivityOptions(startToCloseTimeout: '30s' | '60s'): LocalActivityOptions {
  return { startToCloseTimeout, retry: { initialInterval: '200ms', maximumInterval: '10s', backoffCoefficient: 2 } };
}

/** A batch workflow's search attributes when it starts: shown `running`, and its schedule when a schedule started it. */
export function batchSearchAttributes(batch: { batchId: string; owner: string; scheduleId?: string }): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: SEARCH_ATTRIBUTES.batchId, value: batch.batchId },
    { key: SEARCH_ATTRIBUTES.owner, value: batch.owner },
    { key: SEARCH_ATTRIBUTES.status, value: 'running' },
  ];
  if (batch.scheduleId !== undefined) pairs.push({ key: SEARCH_ATTRIBUTES.scheduleId, value: batch.scheduleId });
  return pairs;
}

/** A device child's search attributes when it starts (it sets FlotillaStatus itself when it ends). */
export function deviceSearchAttributes(batchId: string, owner: string, deviceId: string, deviceName?: string): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: SEARCH_ATTRIBUTES.batchId, value: batchId },
    { key: SEARCH_ATTRIBUTES.owner, value: owner },
    { key: SEARCH_ATTRIBUTES.deviceId, value: deviceId },
  ];
  if (deviceName !== undefined) pairs.push({ key: SEARCH_ATTRIBUTES.deviceName, value: deviceName });
  return pairs;
}

export interface ChildStart {
  workflowId: string;
  staticSummary: string;
  typedSearchAttributes: SearchAttributePair[];
}

/**
 * Every child is cancelled with its parent and the parent waits until it has recorded its status;
 * terminating the parent still asks the child to stop (devices stop their commands and record a status).
 */
export function childOptions(child: ChildStart): ChildStart & Pick<ChildWorkflowOptions, 'cancellationType' | 'parentClosePolicy'> {
  return {
    ...child,
    cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  };
}
