// The bare-Temporal reference for the benchmark: the shape of a Flotilla batch with nothing of Flotilla in
// it. A parent keeps a sliding window of child workflows, each running one activity that returns at once,
// and continues as new (after draining) every `perRun` children. No database, no gateway, no agents.
// Two design levers can be switched on to measure what they save: the child's activity run as a local
// activity (`delivery: 'local'`), and shard workflows under the parent, each keeping its own part of the
// window over a contiguous range of children (`shardSize`).
import { condition, continueAsNew, executeChild, proxyActivities, proxyLocalActivities, startChild } from '@temporalio/workflow';
import type { referenceActivities } from './activities';

const { noop } = proxyActivities<typeof referenceActivities>({ startToCloseTimeout: '60s' });
const local = proxyLocalActivities<typeof referenceActivities>({ startToCloseTimeout: '60s' });

export type ReferenceDelivery = 'activity' | 'local';

export interface ReferenceInput {
  /** Prefix of the child workflow ids (unique per measurement). */
  prefix: string;
  total: number;
  window: number;
  perRun: number;
  /** Index of the next child to start (carried across continue-as-new). */
  next: number;
  failed: number;
  delivery?: ReferenceDelivery;
  /** Children per shard workflow; absent: the parent starts every child itself. */
  shardSize?: number;
  /** Shards running at once (the window is split between them); default 4. */
  parallelShards?: number;
  /** At most this many children asked for but not started yet; absent: the whole window. */
  startAhead?: number;
}

export async function referenceChild(delivery: ReferenceDelivery = 'activity'): Promise<void> {
  await (delivery === 'local' ? local.noop() : noop());
}

/** A sliding window of `window` children over ids [from, to); answers how many failed. */
async function slidingWindow(prefix: string, from: number, to: number, window: number, delivery: ReferenceDelivery, startAhead = window): Promise<number> {
  let inFlight = 0;
  let starting = 0;
  let failed = 0;
  const settle = (ok: boolean): void => {
    inFlight--;
    if (!ok) failed++;
  };
  for (let next = from; next < to; next++) {
    await condition(() => inFlight < window && starting < startAhead);
    inFlight++;
    starting++;
    void startChild(referenceChild, { workflowId: `${prefix}-${next}`, args: [delivery] }).then(
      (child) => {
        starting--;
        child.result().then(
          () => settle(true),
          () => settle(false),
        );
      },
      () => {
        starting--;
        settle(false);
      },
    );
  }
  await condition(() => inFlight === 0);
  return failed;
}

export interface ShardInput {
  prefix: string;
  from: number;
  to: number;
  window: number;
  delivery: ReferenceDelivery;
  startAhead?: number;
}

export async function referenceShard(input: ShardInput): Promise<number> {
  return slidingWindow(input.prefix, input.from, input.to, input.window, input.delivery, input.startAhead);
}

/** Answers how many children failed over the whole chain of runs. */
export async function referenceParent(input: ReferenceInput): Promise<number> {
  const delivery = input.delivery ?? 'activity';
  if (input.shardSize !== undefined) return shardedParent(input, input.shardSize, delivery);
  const end = Math.min(input.total, input.next + input.perRun);
  const failed = input.failed + (await slidingWindow(input.prefix, input.next, end, input.window, delivery, input.startAhead));
  if (end < input.total) return continueAsNew<typeof referenceParent>({ ...input, next: end, failed });
  return failed;
}

async function shardedParent(input: ReferenceInput, shardSize: number, delivery: ReferenceDelivery): Promise<number> {
  const shards = Math.ceil(input.total / shardSize);
  const parallel = Math.max(1, Math.min(shards, input.parallelShards ?? 4, input.window));
  const shardWindow = Math.ceil(input.window / parallel);
  let inFlight = 0;
  let failed = 0;
  for (let s = 0; s < shards; s++) {
    await condition(() => inFlight < parallel);
    inFlight++;
    const from = s * shardSize;
    void executeChild(referenceShard, {
      workflowId: `${input.prefix}-shard-${s}`,
      args: [{ prefix: input.prefix, from, to: Math.min(input.total, from + shardSize), window: shardWindow, delivery }],
    }).then(
      (n) => {
        inFlight--;
        failed += n;
      },
      () => {
        inFlight--;
        failed += shardSize;
      },
    );
  }
  await condition(() => inFlight === 0);
  return failed;
}
