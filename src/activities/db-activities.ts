// Database activities the workflows call (as local activities) on the workflow worker.
import { workflowInput } from '../batches/workflow-input';
import type { Database } from '../db/client';
import { setBatchPaused } from '../db/queries/batch-control';
import { checkPresenceToDeliver } from '../db/queries/agent-results';
import * as state from '../db/queries/execution-state';
import { createHealthCheckBatch } from '../batches/create-health-check';
import type { Metrics } from '../metrics';
import type { InProcessGateways } from '../agent-gateway/in-process';
import { BRIEF_DELIVERY_MS, type BatchWorkflowResult, type DbActivities } from '../workflows/definitions';

function countFinished(metrics: Metrics, result: BatchWorkflowResult): void {
  metrics.batchesFinished.inc({ status: result.status });
  for (const [status, n] of Object.entries(result.counts)) if (n) metrics.executionsFinished.inc({ status }, n);
}

export interface DbActivityDeps {
  db: Database;
  /** A device whose last heartbeat is older than this is treated as offline. */
  presenceStaleMs: number;
  /** Counts batches started and finished, and their executions by final status. */
  metrics?: Metrics;
  /** Gateways of this process: devices connected to them get their commands from checkAndDeliverHere. */
  gateways?: InProcessGateways;
}

export function createDbActivities({ db, presenceStaleMs, metrics, gateways }: DbActivityDeps): DbActivities {
  return {
    markBatchRunning: async (batchId) => {
      if (await state.markBatchStarted(db, batchId)) metrics?.batchesStarted.inc();
    },
    setBatchPaused: (batchId, paused) => setBatchPaused(db, batchId, paused),
    createHealthCheck: async (input) => {
      const row = await createHealthCheckBatch(db, input);
      return row ? { ...workflowInput(row), healthCheckOf: { batchId: input.parentBatchId, wave: input.wave } } : null;
    },
    loadTargets: (batchId, fromSeq, limit) => state.loadTargets(db, batchId, fromSeq, limit),
    checkPresence: (executionId) => state.checkPresence(db, executionId, presenceStaleMs),
    checkAndDeliverHere: async (input) => {
      const { presence, delivery } = await checkPresenceToDeliver(db, input.executionId, presenceStaleMs);
      const deliver = presence.kind === 'online' ? gateways?.get(presence.gatewayId) : undefined;
      if (!deliver) return presence;
      const outcome = await deliver.deliver(input, BRIEF_DELIVERY_MS, delivery);
      if (outcome === 'not-here') return presence;
      if (outcome === 'still-running') return { ...presence, status: 'dispatched' };
      return { kind: 'final', outcome };
    },
    stopHere: async (input, gatewayId) => {
      await gateways?.get(gatewayId)?.stop(input);
    },
    finishExecution: (executionId, status, error) => state.finishExecution(db, executionId, status, error),
    finishBatch: async (input) => {
      const { result, first } = await state.finishBatchOnce(db, input);
      if (first && metrics) countFinished(metrics, result);
      return result;
    },
  };
}
