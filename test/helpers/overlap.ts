/** Highest number of [start, end] intervals open at the same moment (an end before a start at a tie). */
export function peakOverlap(intervals: Array<{ start: number; end: number }>): number {
  const points = intervals
    .flatMap((s) => [
      { t: s.start, d: 1 },
      { t: s.end, d: -1 },
    ])
    .sort((a, b) => a.t - b.t || a.d - b.d);
  let cur = 0;
  let max = 0;
  for (const p of points) {
    cur += p.d;
    max = Math.max(max, cur);
  }
  return max;
}
