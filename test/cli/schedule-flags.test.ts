import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/parse';
import { specFromFlags } from '../../src/cli/schedule-flags';

describe('schedule spec flags', () => {
  it('maps each flag to its spec form', () => {
    expect(specFromFlags({ cron: '0 2 * * 1-5' })).toEqual({ cron: '0 2 * * 1-5' });
    expect(specFromFlags({ daily: '02:00' })).toEqual({ daily: { time: '02:00' } });
    expect(specFromFlags({ weekly: 'Mon, thu@23:15' })).toEqual({ weekly: { days: ['mon', 'thu'], time: '23:15' } });
    expect(specFromFlags({ monthly: '15@06:00' })).toEqual({ monthly: { day: 15, time: '06:00' } });
    expect(specFromFlags({ monthly: 'last@06:00' })).toEqual({ monthly: { day: 'last', time: '06:00' } });
    expect(specFromFlags({ once: '2030-01-01T00:00:00Z' })).toEqual({ once: '2030-01-01T00:00:00Z' });
  });

  it('is a usage error with none, two, or a missing @time', () => {
    expect(() => specFromFlags({})).toThrow(UsageError);
    expect(() => specFromFlags({ daily: '02:00', cron: '* * * * *' })).toThrow(UsageError);
    expect(() => specFromFlags({ weekly: 'mon' })).toThrow(/WHAT@HH:MM/);
  });
});
