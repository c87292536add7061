import { describe, expect, it } from 'vitest';
import { BatchRejected, DomainError, TemporalUnavailable } from '../../src/domain/errors';

describe('domain errors', () => {
  it('a batch refusal is a 400, or a 429 with its retry time when it may succeed later', () => {
    const bad = new BatchRejected('no_targets', 'the targets match no device');
    expect(bad).toBeInstanceOf(DomainError);
    expect([bad.status, bad.code, bad.retryAfterSec]).toEqual([400, 'no_targets', undefined]);
    const busy = new BatchRejected('too_many_running_batches', 'busy', { limit: 2 }, 30);
    expect([busy.status, busy.retryAfterSec, busy.details]).toEqual([429, 30, { limit: 2 }]);
  });

  it('names the nested field of a batch request inside a larger body', () => {
    const unknown = new BatchRejected('unknown_targets', 'some targets do not exist', { deviceIds: ['d'] }, undefined, 'targets');
    expect(unknown.message).toBe('some targets do not exist');
    const nested = unknown.within('batch');
    expect([nested.status, nested.code, nested.message, nested.details]).toEqual([400, 'unknown_targets', 'batch.targets: some targets do not exist', { deviceIds: ['d'] }]);
    expect(new BatchRejected('secret_key_missing', 'no key').within('batch').message).toBe('batch: no key');
  });

  it('Temporal failures are one 503 temporal_unavailable that keeps its cause', () => {
    const cause = new Error('connection refused');
    const err = new TemporalUnavailable('Temporal could not be reached', { batchId: 'b' }, { cause });
    expect([err.status, err.code, err.details, err.cause, err.name]).toEqual([503, 'temporal_unavailable', { batchId: 'b' }, cause, 'TemporalUnavailable']);
  });
});
