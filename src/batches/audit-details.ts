// What the audit log keeps of a batch start, wherever it starts (the API, a schedule): the action
// without its sealed env values (their names stay), the targets as requested, and the device count.
import type { BatchRow } from '../db/schema';
import { workOf } from '../domain/work';

/** What the audit log keeps of a batch start: the steps without their sealed env values (a lone one also as `action`), and the targets. */
export function batchStartDetails(row: Pick<BatchRow, 'steps' | 'stepMode' | 'targets' | 'targetCount'>): Record<string, unknown> {
  const { steps, stepMode } = workOf(row);
  const shown = steps.map((s) => (s.type === 'file' ? s : (({ envSealed: _sealed, ...rest }) => rest)(s)));
  return { ...(shown.length === 1 ? { action: shown[0] } : {}), steps: shown, stepMode, targets: row.targets, targetCount: row.targetCount };
}
