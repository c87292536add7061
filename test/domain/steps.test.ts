import { describe, expect, it } from 'vitest';
import { endsRun, executionOutcome, type ExecutionOutcome, type StepOutcome } from '../../src/domain/steps';

const ok: StepOutcome = { status: 'succeeded', exitCode: 0, error: null };
const skipped: StepOutcome = { status: 'skipped', exitCode: null, error: null };
const failed = (exitCode: number | null = 1, error: string | null = null): StepOutcome => ({ status: 'failed', exitCode, error });
const timedOut: StepOutcome = { status: 'timed_out', exitCode: null, error: 'timed out after 5 s' };
const cancelled: StepOutcome = { status: 'cancelled', exitCode: null, error: null };

describe('executionOutcome', () => {
  const cases: Array<[string, StepOutcome[], boolean[], ExecutionOutcome]> = [
    ['no steps: succeeded with exit code 0', [], [], { status: 'succeeded', exitCode: 0, error: null }],
    ['every step succeeded', [ok, ok, ok], [], { status: 'succeeded', exitCode: 0, error: null }],
    ['all skipped counts as succeeded', [skipped, skipped], [], { status: 'succeeded', exitCode: 0, error: null }],
    ['a lone failed step: its own exit code and error, no step prefix', [failed(3, 'boom')], [], { status: 'failed', exitCode: 3, error: 'boom' }],
    ['a lone failed step without error keeps the null error', [failed(2)], [], { status: 'failed', exitCode: 2, error: null }],
    ['a lone timed-out step', [timedOut], [], { status: 'timed_out', exitCode: null, error: 'timed out after 5 s' }],
    ['a lone cancelled step', [cancelled], [], { status: 'cancelled', exitCode: null, error: null }],
    ['second of three fails: its error prefixed with its number', [ok, failed(4, 'disk full'), skipped], [], { status: 'failed', exitCode: 4, error: 'step 2: disk full' }],
    ['a failed step without error is described by its exit code', [ok, failed(7)], [], { status: 'failed', exitCode: 7, error: 'step 2: exit code 7' }],
    ['a failed step without error or exit code is described by its status', [failed(null), ok], [], { status: 'failed', exitCode: null, error: 'step 1: failed' }],
    ['a cancelled step without error is described by its status', [ok, cancelled], [], { status: 'cancelled', exitCode: null, error: 'step 2: cancelled' }],
    ['the first deciding step wins over later ones', [ok, timedOut, failed(1, 'later')], [], { status: 'timed_out', exitCode: null, error: 'step 2: timed out after 5 s' }],
    ['cancelled first wins over a later failure', [cancelled, failed(1, 'later')], [], { status: 'cancelled', exitCode: null, error: 'step 1: cancelled' }],
    ['continueOnError skips a failure: the run succeeds', [failed(1, 'ignored'), ok], [true, false], { status: 'succeeded', exitCode: 0, error: null }],
    ['continueOnError skips a timeout too', [timedOut, ok], [true], { status: 'succeeded', exitCode: 0, error: null }],
    ['continueOnError on the first step: the next failure decides', [failed(1, 'ignored'), failed(5, 'real')], [true, false], { status: 'failed', exitCode: 5, error: 'step 2: real' }],
    ['continueOnError does not excuse a cancelled step', [cancelled, ok], [true], { status: 'cancelled', exitCode: null, error: 'step 1: cancelled' }],
    ['continueOnError false behaves like unset', [failed(1, 'x'), ok], [false], { status: 'failed', exitCode: 1, error: 'step 1: x' }],
    ['continueOnError on a lone failed step: succeeded', [failed(9, 'ignored')], [true], { status: 'succeeded', exitCode: 0, error: null }],
  ];
  it.each(cases)('%s', (_name, steps, continueOnError, expected) => {
    expect(executionOutcome(steps, continueOnError)).toEqual(expected);
  });
});

describe('endsRun (sequential mode)', () => {
  const cases: Array<[StepOutcome, boolean | undefined, boolean]> = [
    [ok, undefined, false],
    [ok, true, false],
    [failed(), undefined, true],
    [failed(), false, true],
    [failed(), true, false],
    [timedOut, undefined, true],
    [timedOut, true, false],
    [cancelled, undefined, true],
    [cancelled, true, true],
    [skipped, undefined, true],
    [skipped, true, false],
  ];
  it.each(cases)('%o with continueOnError %s ends the run: %s', (step, continueOnError, expected) => {
    expect(endsRun(step, continueOnError)).toBe(expected);
  });
});
