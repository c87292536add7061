// The bare-Temporal reference for the benchmark: the shape of a Flotilla batch with nothing of Flotilla in
// it. A parent keeps a sliding window of child workflows, each running one activity that returns at once,
// and continues as new (after draining) every `perRun` children. No database, no gateway, no agents.
import { condition, continueAsNew, executeChild, proxyActivities } from '@temporalio/workflow';
import type { referenceActivities } from './activities';

const { noop } = proxyActivities<typeof referenceActivities>({ startToCloseTimeout: '60s' });

export interface ReferenceInput {
  /** Prefix of the child workflow ids (unique per measurement). */
  prefix: string;
  total: number;
  window: number;
  perRun: number;
  /** Index of the next child to start (carried across continue-as-new). */
  next: number;
  failed: number;
}

export async function referenceChild(): Promise<void> {
  await noop();
}

/** Answers how many children failed over the whole chain of runs. */
export async function referenceParent(input: ReferenceInput): Promise<number> {
  let { next, failed } = input;
  let inFlight = 0;
  const end = Math.min(input.total, next + input.perRun);
  const settle = (ok: boolean): void => {
    inFlight--;
    if (!ok) failed++;
  };
  while (next < end) {
    await condition(() => inFlight < input.window);
    inFlight++;
    void executeChild(referenceChild, { workflowId: `${input.prefix}-${next++}` }).then(
      () => settle(true),
      () => settle(false),
    );
  }
  await condition(() => inFlight === 0);
  if (next < input.total) return continueAsNew<typeof referenceParent>({ ...input, next, failed });
  return failed;
}
