// A stored batch turned back into the request that made it, for a new batch with the same definition
// (a retry): the action or steps with their env unsealed, the strategy as the client gave it (percentages are
// resolved again against the new target count), the timeouts. createBatch seals and resolves it again.
import type { BatchRow } from '../db/schema';
import type { BatchRequest, StoredStrategy } from '../domain/batch';
import { workOf } from '../domain/work';
import { requestedAction, requestedWork } from './stored-action';

function requestedStrategy(s: StoredStrategy, secretKey: string | undefined): BatchRequest['strategy'] {
  const { requested } = s;
  const maxFailures = requested.maxFailures ?? undefined;
  if (s.mode !== 'waves' || !s.waves) return { mode: s.mode, concurrency: requested.concurrency, ...(maxFailures === undefined ? {} : { maxFailures }) };
  const w = s.waves;
  return {
    mode: 'waves',
    concurrency: requested.concurrency,
    ...(maxFailures === undefined ? {} : { maxFailures }),
    waveSize: requested.waveSize ?? w.size,
    pauseBetweenWavesSec: w.pauseBetweenSec,
    approveAfterFirstWave: w.approveAfterFirstWave,
    ...(requested.maxFailuresPerWave === null || requested.maxFailuresPerWave === undefined ? {} : { maxFailuresPerWave: requested.maxFailuresPerWave }),
    ...(w.healthCheck === null ? {} : { healthCheck: requestedAction(w.healthCheck, secretKey) }),
  };
}

export function requestOf(row: BatchRow, targets: BatchRequest['targets'], secretKey: string | undefined): BatchRequest {
  return {
    targets,
    ...requestedWork(workOf(row), secretKey),
    strategy: requestedStrategy(row.strategy, secretKey),
    deliveryTimeoutSec: row.deliveryTimeoutSec,
    ...(row.deadlineSec === null ? {} : { deadlineSec: row.deadlineSec }),
  };
}
