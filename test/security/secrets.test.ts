import { describe, expect, it } from 'vitest';
import { hasEnv, REDACTED, redactedEnv, redactEnv, seal, unseal } from '../../src/security/secrets';

const KEY = 'ab'.repeat(32);

describe('env values', () => {
  it('redacts every env value wherever an action carries env, and nothing else', () => {
    const request = {
      targets: { deviceIds: ['d'] },
      action: { type: 'command', command: 'echo $A', env: { A: 'secret', B: 'other' } },
      strategy: { waves: { healthCheck: { command: 'curl', env: { TOKEN: 't' } } } },
      steps: [{ type: 'script', body: 'x', env: {} }, { type: 'file', fileId: 'f', path: '/p' }],
    };
    expect(redactEnv(request)).toEqual({
      targets: { deviceIds: ['d'] },
      action: { type: 'command', command: 'echo $A', env: { A: REDACTED, B: REDACTED } },
      strategy: { waves: { healthCheck: { command: 'curl', env: { TOKEN: REDACTED } } } },
      steps: [{ type: 'script', body: 'x', env: {} }, { type: 'file', fileId: 'f', path: '/p' }],
    });
    expect(request.action.env.A).toBe('secret');
    expect(REDACTED).toBe('***');
  });

  it('knows whether any env has a value', () => {
    expect(hasEnv({ action: { env: { A: '1' } } })).toBe(true);
    expect(hasEnv({ steps: [{ env: {} }, { command: 'x' }] })).toBe(false);
    expect(hasEnv({ strategy: { waves: { healthCheck: { env: { T: 't' } } } } })).toBe(true);
  });

  it('shows sealed env keys with the redacted value', () => {
    expect(redactedEnv(['A', 'B'])).toEqual({ A: '***', B: '***' });
  });

  it('seals a value that only the same key opens', () => {
    const sealed = seal({ A: 'secret' }, KEY);
    expect(sealed).not.toContain('secret');
    expect(unseal(sealed, KEY)).toEqual({ A: 'secret' });
    expect(() => unseal(sealed, 'cd'.repeat(32))).toThrow();
  });
});
