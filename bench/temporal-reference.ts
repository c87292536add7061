// The Temporal reference: the batch's shape (parent, sliding window of child workflows, one activity each,
// continue-as-new every REFERENCE_PER_RUN children) run with the bare SDK on the same dev server, with the
// same worker slot settings as Flotilla's worker, in this process. Its wall time is the floor Temporal
// itself sets; temporalRatio = Flotilla's wall / this.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DEFAULT_GATEWAY_ACTIVITY_SLOTS } from '../src/config';
import { DEFAULT_MAX_WINDOW, workerCapacity } from '../src/worker';
import { referenceActivities } from './reference/activities';
import type { ReferenceDelivery, referenceParent } from './reference/workflows';

/** Children per parent run before continue-as-new, as in the bare-SDK comparison the target was set against. */
export const REFERENCE_PER_RUN = 500;
const TASK_QUEUE = 'flotilla-bench-reference';

/** Flotilla's workflow-worker slots and cache (src/worker/capacity.ts) and gateway activity slots (config default). */
const WORKER_SLOTS = {
  ...workerCapacity(DEFAULT_MAX_WINDOW),
  maxConcurrentActivityTaskExecutions: DEFAULT_GATEWAY_ACTIVITY_SLOTS,
};

/** Design levers of the reference shape (none: today's shape, the one temporalRatio is taken against). */
export interface ReferenceShape {
  delivery?: ReferenceDelivery;
  shardSize?: number;
  parallelShards?: number;
  startAhead?: number;
}

export interface TemporalReference {
  /** One measurement: answers the wall seconds from starting the parent to its result. */
  measure(devices: number, window: number, shape?: ReferenceShape): Promise<number>;
  close(): Promise<void>;
}

export async function openTemporalReference(opts: { address: string; namespace: string; perRun?: number }): Promise<TemporalReference> {
  const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'reference/workflows.ts'), logger: quiet });
  const clientConnection = await Connection.connect({ address: opts.address });
  const workerConnection = await NativeConnection.connect({ address: opts.address });
  const client = new Client({ connection: clientConnection, namespace: opts.namespace });
  return {
    async measure(devices, window, shape = {}) {
      // A worker per measurement, so nothing of the reference polls while Flotilla is measured.
      const worker = await Worker.create({
        connection: workerConnection,
        namespace: opts.namespace,
        taskQueue: TASK_QUEUE,
        workflowBundle: bundle,
        activities: referenceActivities,
        ...WORKER_SLOTS,
      });
      const running = worker.run();
      try {
        const prefix = `bench-ref-${randomBytes(4).toString('hex')}`;
        const started = performance.now();
        const failed = await client.workflow.execute<typeof referenceParent>('referenceParent', {
          taskQueue: TASK_QUEUE,
          workflowId: prefix,
          args: [{ prefix, total: devices, window, perRun: opts.perRun ?? REFERENCE_PER_RUN, next: 0, failed: 0, ...shape }],
        });
        const seconds = (performance.now() - started) / 1000;
        if (failed > 0) throw new Error(`temporal reference: ${failed} child workflow(s) failed`);
        return seconds;
      } finally {
        worker.shutdown();
        await running;
      }
    },
    async close() {
      await workerConnection.close();
      await clientConnection.close();
    },
  };
}
