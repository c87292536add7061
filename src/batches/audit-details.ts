// What the audit log keeps of a batch start, wherever it starts (the API, a schedule): the action
// without its sealed env values (their names stay), the targets as requested, and the device count.
import type { BatchRow } from '../db/schema';

export function batchStartDetails(row: Pick<BatchRow, 'action' | 'targets' | 'targetCount'>): Record<string, unknown> {
  const { envSealed: _sealed, ...shown } = row.action;
  return { action: shown, targets: row.targets, targetCount: row.targetCount };
}
