// "N%" of a count, for concurrency, failure thresholds and wave sizes. Multiplying before dividing keeps
// whole percentages exact (0.07 * 100 is 7.000000000000001 in floating point, which ceil made 8), and the
// result is rounded to nine decimals before ceil or floor, for fractional percentages.

/** value% of total, rounded up or down. */
export function percentOf(percent: string, total: number, rounding: 'up' | 'down'): number {
  const exact = Number(((parseFloat(percent) * total) / 100).toFixed(9));
  return rounding === 'up' ? Math.ceil(exact) : Math.floor(exact);
}

/** A count given as a number, or as "N%" of total. */
export function countOf(value: number | string, total: number, rounding: 'up' | 'down'): number {
  return typeof value === 'number' ? value : percentOf(value, total, rounding);
}

/** "N%" with N from 0 to 100, decimals allowed ("12.5%"), nothing above 100 ("100.5%" is refused). */
export const PERCENT_PATTERN = /^(100(\.0+)?|[1-9]?[0-9](\.[0-9]+)?)%$/;
