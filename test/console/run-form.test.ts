// The Run dialog's form becomes a body the API's own schema accepts, for every action kind and
// strategy; bad fields are named before anything is sent; a stored request reads back the same.
import { describe, expect, it } from 'vitest';
import { batchRequestOf, countOrPercent, emptyRunForm, FormError, runFormOf, type RunForm } from '../../src/console/app/run/run-form';
import { batchRequestSchema } from '../../src/domain/batch';

const DEVICE = '7b0f7a4e-0c4f-4f7e-9d55-7c1f7a1d2b3c';
const GROUP = '1b0f7a4e-0c4f-4f7e-9d55-7c1f7a1d2b3c';

function form(patch: Partial<RunForm>): RunForm {
  return { ...emptyRunForm({ deviceIds: [DEVICE], groupIds: [GROUP], tags: ['web'] }), command: 'uptime', ...patch };
}

describe('run form', () => {
  it.each<[string, Partial<RunForm>]>([
    ['parallel command with N%', { concurrency: '25%', failure: 'max', maxFailures: '3' }],
    ['sequential script, stop on failure', { kind: 'script', scriptBody: 'echo hi', interpreter: 'bash', mode: 'sequential', failure: 'stop' }],
    ['steps in parallel', { kind: 'steps', stepsJson: '[{"type":"command","command":"a"},{"type":"command","command":"b"}]', stepMode: 'parallel' }],
    ['file push', { kind: 'file', fileId: DEVICE, filePath: '/etc/app.conf', fileMode: '0640' }],
    [
      'waves with everything',
      { mode: 'waves', waveSize: '10%', pauseBetweenWavesSec: '30', maxFailuresPerWave: '1', healthCheck: 'curl -f localhost', approveAfterFirstWave: true, deadlineSec: '3600', deliveryTimeoutSec: '0' },
    ],
  ])('%s: the API schema accepts it', (_name, patch) => {
    const body = batchRequestOf(form(patch));
    const parsed = batchRequestSchema.safeParse(body);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(body.targets).toEqual({ deviceIds: [DEVICE], groupIds: [GROUP], tags: ['web'] });
  });

  it('reads a stored request back into the same form', () => {
    const f = form({ mode: 'waves', waveSize: '2', pauseBetweenWavesSec: '5', healthCheck: 'true', failure: 'max', maxFailures: '10%', deadlineSec: '600' });
    const body = batchRequestOf(f);
    expect(batchRequestOf(runFormOf(body as Record<string, unknown>))).toEqual(body);
  });

  it('names the field to fix and builds nothing', () => {
    expect(() => batchRequestOf(form({ deviceIds: [], groupIds: [], tags: [] }))).toThrow(/Targets/);
    expect(() => batchRequestOf(form({ command: '  ' }))).toThrow(/Command/);
    expect(() => batchRequestOf(form({ concurrency: 'ten' }))).toThrow(/Concurrency/);
    expect(() => batchRequestOf(form({ kind: 'steps', stepsJson: '{' }))).toThrow(/Steps/);
    expect(() => batchRequestOf(form({ timeoutSec: '-1' }))).toThrow(FormError);
    expect(countOrPercent(' 12 ', 'x')).toBe(12);
    expect(countOrPercent('12.5%', 'x')).toBe('12.5%');
  });
});
