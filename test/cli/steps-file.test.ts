import { describe, expect, it } from 'vitest';
import { buildBatchRequest, UsageError } from '../../src/cli/parse';
import { parseStepsFile } from '../../src/cli/steps-file';

const GRP = '5d2e1f3a-4b6c-4d7e-8f90-a1b2c3d4e5f6';
const FILE_ID = '0b7f3c52-9a43-4c3e-8f21-2d1c5e6a7b80';

describe('parseStepsFile', () => {
  it('reads a bare list of steps, with the protocol defaults', () => {
    const work = parseStepsFile(JSON.stringify([{ type: 'command', command: 'uptime' }]), 'f.json');
    expect(work).toEqual({ steps: [{ type: 'command', command: 'uptime', shell: 'sh', timeoutSec: 300 }] });
  });

  it('reads {steps, stepMode}', () => {
    const text = JSON.stringify({ stepMode: 'parallel', steps: [{ type: 'file', fileId: FILE_ID, path: '/etc/x', continueOnError: true }] });
    expect(parseStepsFile(text, 'f.json')).toEqual({
      stepMode: 'parallel',
      steps: [{ type: 'file', fileId: FILE_ID, path: '/etc/x', continueOnError: true, timeoutSec: 300 }],
    });
  });

  it.each([
    ['not json', /f\.json is not valid JSON/],
    ['[]', /give at least one step/],
    ['[{"type":"command","command":"x","timeoutSec":0}]', /0\.timeoutSec/],
    ['[{"type":"file","fileId":"nope","path":"/x"}]', /0\.fileId/],
    ['{"steps":[{"type":"command","command":"x"}],"stepMode":"random"}', /stepMode/],
    ['{"steps":[{"type":"command","command":"x"}],"extra":1}', /extra/],
    ['{"type":"command","command":"x"}', /give \[action, \.\.\.\] or/],
  ])('refuses %s', (text, message) => {
    expect(() => parseStepsFile(text, 'f.json')).toThrow(UsageError);
    expect(() => parseStepsFile(text, 'f.json')).toThrow(message);
  });
});

describe('buildBatchRequest with steps', () => {
  const steps = parseStepsFile('[{"type":"command","command":"a"},{"type":"command","command":"b"}]', 'f.json');

  it('sends the steps (and stepMode when the file gave one) instead of an action', () => {
    const body = buildBatchRequest({ concurrency: '2' }, [GRP], [], steps);
    expect(body).toEqual({ targets: { groupIds: [GRP] }, steps: steps.steps, strategy: { mode: 'parallel', concurrency: 2 } });
    expect(buildBatchRequest({}, [GRP], [], { ...steps, stepMode: 'parallel' })).toMatchObject({ steps: steps.steps, stepMode: 'parallel' });
  });

  it.each([
    [{}, ['uptime'], /not both/],
    [{ shell: 'bash' }, [], /each step/],
    [{ timeout: '5' }, [], /each step/],
  ])('refuses %j %j with --steps', (opts, words, message) => {
    expect(() => buildBatchRequest(opts, [GRP], words, steps)).toThrow(message);
  });
});
