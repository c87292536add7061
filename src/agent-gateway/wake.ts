// When a device connects, its waiting device workflows are told where it is, so a delayed execution
// is delivered at once instead of at the next presence check.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { executionsAwaitingDevice } from '../db/queries/presence';
import type { Logger } from '../logger';
import { deviceConnectedSignal, deviceWorkflowId } from '../workflows/definitions';

export async function wakeDeviceWorkflows(db: Database, client: Client, deviceId: string, gatewayId: string, logger: Logger): Promise<number> {
  const waiting = await executionsAwaitingDevice(db, deviceId);
  await Promise.all(
    waiting.map(async ({ batchId }) => {
      try {
        await client.workflow.getHandle(deviceWorkflowId(batchId, deviceId)).signal(deviceConnectedSignal, { gatewayId });
      } catch (err) {
        // Not started yet, or already completed: nothing is waiting.
        if (err instanceof WorkflowNotFoundError) return;
        logger.warn({ deviceId, batchId, err }, 'could not signal device workflow');
      }
    }),
  );
  return waiting.length;
}
