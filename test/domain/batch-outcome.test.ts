// The batch's final status from its executions' counts and why it ended (src/domain/batch-outcome.ts).
import { describe, expect, it } from 'vitest';
import type { BatchStatus, ExecutionStatus } from '../../src/domain/status';
import { decideBatchStatus } from '../../src/domain/batch-outcome';

type Counts = Partial<Record<ExecutionStatus, number>>;
type Reason = Parameters<typeof decideBatchStatus>[2];

describe('decideBatchStatus', () => {
  const cases: Array<[string, Counts, number, Reason, BatchStatus]> = [
    ['every device succeeded', { succeeded: 5 }, 5, null, 'succeeded'],
    ['0 devices: nothing failed, so succeeded', {}, 0, null, 'succeeded'],
    ['none succeeded', { failed: 2, timed_out: 1 }, 3, null, 'failed'],
    ['all skipped is not a success', { skipped: 4 }, 4, null, 'failed'],
    ['all undeliverable', { undeliverable: 2 }, 2, null, 'failed'],
    ['some succeeded, some failed', { succeeded: 3, failed: 1 }, 4, null, 'partial'],
    ['some succeeded, the rest skipped', { succeeded: 1, skipped: 9 }, 10, null, 'partial'],
    ['one device short of all', { succeeded: 99, cancelled: 1 }, 100, null, 'partial'],
    ['cancelled wins even when everything succeeded', { succeeded: 5 }, 5, 'cancel', 'cancelled'],
    ['cancelled with 0 devices', {}, 0, 'cancel', 'cancelled'],
    ['the deadline ends it as cancelled', { succeeded: 1, cancelled: 1 }, 2, 'deadline', 'cancelled'],
    ['the failure threshold stops it', { succeeded: 3, failed: 2, skipped: 5 }, 10, 'threshold', 'stopped'],
    ['the threshold stops it even with no success', { failed: 1, skipped: 1 }, 2, 'threshold', 'stopped'],
  ];
  it.each(cases)('%s', (_name, counts, total, reason, expected) => {
    expect(decideBatchStatus(counts, total, reason)).toBe(expected);
  });
});

describe('decideBatchStatus, by the reason a batch ended', () => {
  it('a batch ended early is cancelled (cancel, deadline) or stopped (threshold), whatever its devices did', () => {
    expect(decideBatchStatus({ succeeded: 3 }, 3, 'cancel')).toBe('cancelled');
    expect(decideBatchStatus({ succeeded: 3 }, 3, 'deadline')).toBe('cancelled');
    expect(decideBatchStatus({ succeeded: 1, failed: 2 }, 3, 'threshold')).toBe('stopped');
  });

  it('a batch that ran every device is succeeded, failed or partial by its successes', () => {
    expect(decideBatchStatus({ succeeded: 3 }, 3, null)).toBe('succeeded');
    expect(decideBatchStatus({ failed: 2, timed_out: 1 }, 3, null)).toBe('failed');
    expect(decideBatchStatus({ succeeded: 2, undeliverable: 1 }, 3, null)).toBe('partial');
  });
});
