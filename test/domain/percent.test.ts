// "N%" of a count, exactly: whole percentages never pick up floating-point excess before ceil or floor.
import { describe, expect, it } from 'vitest';
import { PERCENT_PATTERN, countOf, percentOf } from '../../src/domain/percent';
import { resolveConcurrency, resolveMaxFailures } from '../../src/domain/batch';

describe('percentOf', () => {
  const cases: Array<[string, number, 'up' | 'down', number]> = [
    ['7%', 100, 'up', 7],
    ['14%', 100, 'up', 14],
    ['29%', 100, 'down', 29],
    ['10%', 30, 'up', 3],
    ['10%', 15, 'up', 2],
    ['10%', 15, 'down', 1],
    ['33%', 10, 'up', 4],
    ['12.5%', 8, 'up', 1],
    ['0.1%', 10_000, 'down', 10],
    ['100%', 37, 'down', 37],
    ['0%', 10, 'up', 0],
  ];
  for (const [p, total, rounding, expected] of cases) {
    it(`${p} of ${total} rounded ${rounding} is ${expected}`, () => expect(percentOf(p, total, rounding)).toBe(expected));
  }
  it('takes a plain number as it is', () => expect(countOf(5, 100, 'up')).toBe(5));
});

describe('batch strategy percentages', () => {
  it('concurrency "7%" of 100 devices is 7 and maxFailures "29%" of 100 is 29', () => {
    expect(resolveConcurrency('7%', 100)).toBe(7);
    expect(resolveMaxFailures('29%', 100)).toBe(29);
  });
});

describe('PERCENT_PATTERN', () => {
  it('takes 0% to 100% with decimals and refuses anything above 100 or malformed', () => {
    for (const ok of ['0%', '7%', '10%', '12.5%', '99.99%', '100%', '100.0%']) expect(PERCENT_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['100.5%', '101%', '-1%', '%', '10', '1e2%', '010%', '.5%']) expect(PERCENT_PATTERN.test(bad), bad).toBe(false);
  });
});
