import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/parse';
import { checkPushable, parsePushSpec, withFileSteps } from '../../src/cli/push-spec';

const FILE_ID = '0b7f3c52-9a43-4c3e-8f21-2d1c5e6a7b80';
const fileStep = { type: 'file' as const, fileId: FILE_ID, path: '/etc/app.conf' };

describe('parsePushSpec', () => {
  it('reads LOCAL:REMOTE and LOCAL:REMOTE:MODE', () => {
    expect(parsePushSpec('./app.conf:/etc/app.conf')).toEqual({ local: './app.conf', path: '/etc/app.conf' });
    expect(parsePushSpec('app.conf:/etc/app.conf:0640')).toEqual({ local: 'app.conf', path: '/etc/app.conf', mode: '0640' });
  });

  it.each(['app.conf', 'app.conf:', ':/etc/x', 'app.conf:etc/x', 'app.conf:/etc/x:rw', 'a:/b:0644:extra'])('refuses %j', (raw) => {
    expect(() => parsePushSpec(raw)).toThrow(UsageError);
  });
});

describe('withFileSteps', () => {
  it('puts file steps before a single action', () => {
    const action = { type: 'command', command: 'systemctl restart app' };
    expect(withFileSteps({ targets: {}, action, strategy: {} }, [fileStep])).toEqual({ targets: {}, steps: [fileStep, action], strategy: {} });
  });

  it('puts file steps before the steps of a file, keeping sequential mode', () => {
    const steps = [{ type: 'command', command: 'a' }];
    expect(withFileSteps({ steps, stepMode: 'sequential' }, [fileStep])).toEqual({ steps: [fileStep, ...steps], stepMode: 'sequential' });
  });

  it('leaves the body as it is without pushes', () => {
    const body = { action: { type: 'command', command: 'a' } };
    expect(withFileSteps(body, [])).toBe(body);
  });

  it('refuses pushes with parallel steps', () => {
    expect(() => checkPushable({ steps: [], stepMode: 'parallel' })).toThrow(/parallel/);
    expect(() => checkPushable({ steps: [] })).not.toThrow();
  });
});
