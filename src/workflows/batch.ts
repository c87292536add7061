import type { BatchWorkflowInput, BatchWorkflowResult } from './definitions';

/** Fans out one device workflow per target (implementation in progress). */
export async function batchWorkflow(input: BatchWorkflowInput): Promise<BatchWorkflowResult> {
  return { batchId: input.batchId, status: 'running', counts: {} };
}
