import { describe, expect, it } from 'vitest';
import { MAX_OUTCOME_ERROR_BYTES, outcomeError, truncateUtf8 } from '../../src/domain/outcome-error';

describe('outcomeError', () => {
  it('is null for a success, whatever stderr holds', () => {
    expect(outcomeError({ status: 'succeeded', exitCode: 0, error: null, stderrHead: 'warning: x' })).toBeNull();
  });

  it("takes a failed command's first non-empty stderr line before the stored reason", () => {
    expect(outcomeError({ status: 'failed', exitCode: 3, error: 'other', stderrHead: '\n  disk full  \nsecond' })).toBe('disk full');
    expect(outcomeError({ status: 'failed', exitCode: 1, error: 'refused by policy\nmore', stderrHead: '' })).toBe('refused by policy');
  });

  it('takes the reason first for undeliverable, timed out and cancelled executions', () => {
    expect(outcomeError({ status: 'undeliverable', exitCode: null, error: 'the device stayed offline', stderrHead: null })).toBe('the device stayed offline');
    expect(outcomeError({ status: 'timed_out', exitCode: null, error: 'killed after 30s', stderrHead: 'partial' })).toBe('killed after 30s');
    expect(outcomeError({ status: 'cancelled', exitCode: null, error: null, stderrHead: null })).toBeNull();
  });

  it('keeps at most 200 bytes without splitting a character', () => {
    const long = 'é'.repeat(150);
    const got = outcomeError({ status: 'failed', exitCode: 1, error: null, stderrHead: long }) as string;
    expect(Buffer.byteLength(got, 'utf8')).toBe(MAX_OUTCOME_ERROR_BYTES);
    expect(got).toBe('é'.repeat(100));
    expect(truncateUtf8('ab€', 4)).toBe('ab');
  });
});
