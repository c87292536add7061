// How far a batch is, as the API and the workflow's progress query both report it. Pure: safe to
// import from workflows.

/**
 * Percent of `total` that is `done`, 0..100 with one decimal, rounded down so a batch shows 100 only
 * when every device is done. An empty batch is 100.
 */
export function percentDone(done: number, total: number): number {
  if (total === 0) return 100;
  return Math.floor((done / total) * 1000) / 10;
}
