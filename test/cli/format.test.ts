import { describe, expect, it } from 'vitest';
import type { ExecutionJson } from '../../src/api/schemas/batch';
import { agentCommandLine, guessGatewayUrl } from '../../src/cli/commands/devices';
import {
  executionNote,
  finishedCount,
  firstLine,
  formatCounts,
  formatDuration,
  formatExecutions,
  formatResults,
  formatTable,
} from '../../src/cli/format';
import { buildUrl } from '../../src/cli/http';

const execution = (over: Partial<ExecutionJson>): ExecutionJson => ({
  deviceId: 'd',
  deviceName: 'web-1',
  status: 'succeeded',
  exitCode: 0,
  stdout: '',
  stderr: '',
  truncated: false,
  startedAt: null,
  completedAt: null,
  durationMs: 1234,
  error: null,
  outputCut: false,
  steps: [],
  ...over,
});

describe('formatting', () => {
  it('aligns table columns', () => {
    expect(formatTable(['A', 'BB'], [['long', 'x'], ['s', 'yy']])).toBe('A     BB\nlong  x\ns     yy');
  });

  it('formats durations', () => {
    expect(formatDuration(null)).toBe('-');
    expect(formatDuration(450)).toBe('450ms');
    expect(formatDuration(1234)).toBe('1.2s');
    expect(formatDuration(125_000)).toBe('2m05s');
  });

  it('takes the first non-empty line, cut', () => {
    expect(firstLine('\n\n  hello  \nworld')).toBe('hello');
    expect(firstLine('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(firstLine(null)).toBe('');
  });

  it('notes the error first, then stdout, then stderr', () => {
    expect(executionNote({ error: 'agent offline', stdout: 'out', stderr: 'err' })).toBe('agent offline');
    expect(executionNote({ error: null, stdout: '', stderr: 'boom\nmore' })).toBe('boom');
    expect(executionNote({ error: null, stdout: 'up 3 days', stderr: 'warn' })).toBe('up 3 days');
  });

  it('prints one line per device', () => {
    const text = formatExecutions([
      execution({ stdout: 'up 3 days\n' }),
      execution({ deviceName: 'web-22', status: 'failed', exitCode: 3, durationMs: 20, stderr: 'no such file' }),
      execution({ deviceName: 'db-1', status: 'undeliverable', exitCode: null, durationMs: null, error: 'device offline' }),
    ]);
    expect(text.split('\n')).toEqual([
      'DEVICE  STATUS         EXIT  DURATION  OUTPUT',
      'web-1   succeeded      0     1.2s      up 3 days',
      'web-22  failed         3     20ms      no such file',
      'db-1    undeliverable  -     -         device offline',
    ]);
  });

  it('adds one line per step under the devices when the batch has several steps', () => {
    const step = { stdout: '', stderr: '', truncated: false, error: null, startedAt: null, completedAt: null, durationMs: 5, bytes: null, sha256: null };
    const single = [execution({ stdout: 'ok', steps: [{ ...step, index: 0, type: 'command', status: 'succeeded', exitCode: 0 }] })];
    expect(formatResults(single)).toBe(formatExecutions(single));
    const text = formatResults([
      execution({
        steps: [
          { ...step, index: 0, type: 'file', status: 'succeeded', exitCode: null, bytes: 10, sha256: 'ab'.repeat(32) },
          { ...step, index: 1, type: 'command', status: 'failed', exitCode: 4, stderr: 'tolerated' },
          { ...step, index: 2, type: 'script', status: 'skipped', exitCode: null, durationMs: null },
        ],
      }),
    ]);
    expect(text.split('\n').slice(3)).toEqual([
      'DEVICE  STEP  TYPE     STATUS     EXIT  DURATION  OUTPUT',
      'web-1   1     file     succeeded  -     5ms       sha256 abababababab… 10 bytes',
      'web-1   2     command  failed     4     5ms       tolerated',
      'web-1   3     script   skipped    -     -',
    ]);
  });

  it('counts statuses in a stable order and knows which are final', () => {
    const stats = { running: 2, failed: 1, succeeded: 3, queued: 0 };
    expect(formatCounts(stats)).toBe('running 2, succeeded 3, failed 1');
    expect(formatCounts({})).toBe('none');
    expect(finishedCount(stats)).toBe(4);
  });

  it('builds URLs with repeated query values and skips undefined', () => {
    expect(buildUrl('http://h:1', '/v1/devices', { tag: ['a', 'b'], group: undefined, limit: 5 })).toBe(
      'http://h:1/v1/devices?tag=a&tag=b&limit=5',
    );
  });

  it('guesses the gateway beside the API and prints the agent command', () => {
    expect(guessGatewayUrl('http://10.0.0.5:8080')).toBe('ws://10.0.0.5:8081');
    expect(guessGatewayUrl('https://fleet.example.com')).toBe('wss://fleet.example.com:8081');
    expect(agentCommandLine('ws://h:8081', 'id-1', 'tok')).toBe('npm run agent -- --gateway ws://h:8081 --device-id id-1 --token tok');
  });
});
