import { describe, expect, it } from 'vitest';
import { buildBatchRequest, parseCountOrPercent, UsageError } from '../../src/cli/parse';

const DEV = '0b7f3c52-9a43-4c3e-8f21-2d1c5e6a7b80';
const GRP = '5d2e1f3a-4b6c-4d7e-8f90-a1b2c3d4e5f6';

describe('parseCountOrPercent', () => {
  it('keeps percentages as strings and counts as numbers', () => {
    expect(parseCountOrPercent('--concurrency', '25%')).toBe('25%');
    expect(parseCountOrPercent('--concurrency', '12.5%')).toBe('12.5%');
    expect(parseCountOrPercent('--concurrency', '7')).toBe(7);
  });
  it.each(['-1', 'ten', '150%', '5x', ''])('rejects %j', (raw) => {
    expect(() => parseCountOrPercent('--concurrency', raw)).toThrow(UsageError);
  });
});

describe('buildBatchRequest', () => {
  it('builds the API body from run flags', () => {
    const body = buildBatchRequest(
      {
        device: [DEV],
        tag: ['web', 'eu'],
        concurrency: '20%',
        maxFailures: '3',
        timeout: '30',
        shell: 'bash',
        deliveryTimeout: '0',
        deadline: '600',
      },
      [GRP],
      ['uptime', '-p'],
    );
    expect(body).toEqual({
      targets: { deviceIds: [DEV], groupIds: [GRP], tags: ['web', 'eu'] },
      action: { type: 'command', command: 'uptime -p', shell: 'bash', timeoutSec: 30 },
      strategy: { mode: 'parallel', concurrency: '20%', maxFailures: 3 },
      deliveryTimeoutSec: 0,
      deadlineSec: 600,
    });
  });

  it('maps --sequential and --stop-on-failure', () => {
    const body = buildBatchRequest({ sequential: true, stopOnFailure: true }, [GRP], ['true']);
    expect(body.strategy).toEqual({ mode: 'sequential', stopOnFailure: true });
    expect(body).not.toHaveProperty('deadlineSec');
  });

  it('maps the wave flags to a waves strategy with a command health check', () => {
    const body = buildBatchRequest(
      { waveSize: '25%', wavePause: '30', maxFailuresPerWave: '1', healthCheck: 'curl -fsS localhost/health', approveAfterFirstWave: true },
      [GRP],
      ['true'],
    );
    expect(body.strategy).toEqual({
      mode: 'waves',
      waveSize: '25%',
      pauseBetweenWavesSec: 30,
      maxFailuresPerWave: 1,
      healthCheck: { type: 'command', command: 'curl -fsS localhost/health' },
      approveAfterFirstWave: true,
    });
  });

  it.each([
    [{}, [GRP], [], /command to run/],
    [{ wavePause: '10' }, [GRP], ['uptime'], /--wave-pause apply to rolling waves: add --wave-size/],
    [{ waveSize: '2', sequential: true }, [GRP], ['uptime'], /drop --sequential and --concurrency/],
    [{ waveSize: '2', concurrency: '5' }, [GRP], ['uptime'], /drop --sequential and --concurrency/],
    [{ waveSize: '0' }, [GRP], ['uptime'], /--wave-size/],
    [{ waveSize: '2', wavePause: 'soon' }, [GRP], ['uptime'], /--wave-pause/],
    [{ waveSize: '2', healthCheck: '  ' }, [GRP], ['uptime'], /command/],
    [{}, [], ['uptime'], /--group, --tag or --device/],
    [{ device: ['web-1'] }, [], ['uptime'], /device ids/],
    [{ stopOnFailure: true, maxFailures: '2' }, [GRP], ['uptime'], /not both/],
    [{ sequential: true, concurrency: '5' }, [GRP], ['uptime'], /--sequential/],
    [{ shell: 'zsh' }, [GRP], ['uptime'], /--shell/],
    [{ timeout: '0' }, [GRP], ['uptime'], /--timeout/],
    [{ deliveryTimeout: '-3' }, [GRP], ['uptime'], /--delivery-timeout/],
  ])('refuses %j %j %j', (opts, groups, words, message) => {
    expect(() => buildBatchRequest(opts, groups, words)).toThrow(message);
  });
});
