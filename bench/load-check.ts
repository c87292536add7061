// What the load benchmark counts after the mix: from the fleet's journal and the execution rows, every
// execution of every finished batch has one final status, every command the fleet ran is stored as it
// reported it, and no execution id was run twice.
import { readFileSync } from 'node:fs';
import { isFinalExecutionStatus, type ExecutionStatus } from '../src/domain/status';

export interface LoadCheck {
  devicesCompleted: number;
  notSucceeded: number;
  lostResults: number;
  duplicateExecutions: number;
  ran: number;
}

/** rows: every execution of the batches started; unfinished: batches still running when the drain ended. */
export function checkLoad(journalFile: string, allRows: Array<{ id: string; batchId: string; status: string }>, unfinished: Set<string>): LoadCheck {
  const rows = allRows.filter((r) => !unfinished.has(r.batchId));
  const pending = new Set(allRows.filter((r) => unfinished.has(r.batchId)).map((r) => r.id));
  const runs = new Map<string, number>();
  for (const line of readFileSync(journalFile, 'utf8').split('\n')) {
    const [kind, id] = line.split(' ');
    if (kind === 'ran' && id) runs.set(id, (runs.get(id) ?? 0) + 1);
  }
  const status = new Map(rows.map((r) => [r.id, r.status as ExecutionStatus]));
  const final = rows.filter((r) => isFinalExecutionStatus(r.status as ExecutionStatus));
  // A run the fleet reported succeeded must be stored succeeded; anything else lost its result.
  const lostRuns = [...runs.keys()].filter((id) => !pending.has(id) && status.get(id) !== 'succeeded').length;
  return {
    devicesCompleted: final.length,
    notSucceeded: final.filter((r) => r.status !== 'succeeded').length,
    lostResults: rows.length - final.length + lostRuns,
    duplicateExecutions: [...runs.values()].filter((n) => n > 1).length,
    ran: runs.size,
  };
}
