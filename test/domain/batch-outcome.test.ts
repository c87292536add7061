import { describe, expect, it } from 'vitest';
import { decideBatchStatus } from '../../src/domain/batch-outcome';

describe('decideBatchStatus', () => {
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
