// A progress bar with its number written out.
import type { JSX } from 'preact';

export function Progress({ percent, label }: { percent: number; label?: string }): JSX.Element {
  const p = Math.max(0, Math.min(100, percent));
  return (
    <span class="progress">
      <progress max={100} value={p} aria-label={label ?? 'progress'} />
      <span class="progress-text">{p.toFixed(p % 1 === 0 ? 0 : 1)}%</span>
    </span>
  );
}
