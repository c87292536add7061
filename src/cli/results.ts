// How `flotilla run` and `flotilla batches show` print a batch's results: one line per device for small
// batches (or with --devices), else one line per outcome group; --group and --grep list matching devices.
import type { ExecutionJson } from '../api/schemas/batch';
import type { OutcomeGroupsJson } from '../api/schemas/outcome';
import { OUTCOME_NORMALIZATIONS, type OutcomeNormalization } from '../domain/outcome';
import { formatOutcomeGroups, formatResults } from './format';
import type { ApiClient } from './http';
import { out } from './output';
import { UsageError } from './parse';

/** Batches with more devices than this print outcome groups instead of one line per device. */
export const GROUPED_ABOVE = 20;
/** Groups shown; the rest are counted in one line. */
const GROUPS_SHOWN = 50;

export interface ResultsFlags {
  devices?: boolean;
  normalize?: string;
  group?: string;
  grep?: string;
}

export function parseNormalize(raw: string | undefined): OutcomeNormalization {
  const value = raw ?? 'whitespace';
  if (!(OUTCOME_NORMALIZATIONS as readonly string[]).includes(value)) {
    throw new UsageError(`--normalize must be one of ${OUTCOME_NORMALIZATIONS.join(', ')}`);
  }
  return value as OutcomeNormalization;
}

export async function printResults(api: ApiClient, batchId: string, targetCount: number, flags: ResultsFlags): Promise<void> {
  const path = `/v1/batches/${batchId}/executions`;
  if (flags.group !== undefined || flags.grep !== undefined) {
    const items = await api.all<ExecutionJson>(path, { group: flags.group, output: flags.grep });
    out(items.length > 0 ? formatResults(items) : 'no device matches');
    return;
  }
  if (flags.devices || targetCount <= GROUPED_ABOVE) {
    out(formatResults(await api.all<ExecutionJson>(path)));
    return;
  }
  const normalize = parseNormalize(flags.normalize);
  const groups = await api.get<OutcomeGroupsJson>(`/v1/batches/${batchId}/outcomes`, { normalize, limit: GROUPS_SHOWN });
  out(formatOutcomeGroups(groups));
}
