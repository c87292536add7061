// A status never by colour alone: an icon and the word, with the colour as a third cue.
import type { JSX } from 'preact';

const ICONS: Record<string, string> = {
  online: '●',
  offline: '○',
  queued: '…',
  delayed: '⧗',
  dispatched: '➜',
  running: '▶',
  paused: '‖',
  succeeded: '✓',
  failed: '✗',
  partial: '◐',
  stopped: '■',
  timed_out: '⌛',
  cancelled: '⊘',
  undeliverable: '⚠',
  skipped: '↷',
};

export function statusLabel(status: string): string {
  return status.replace(/_/g, ' ');
}

export function Status({ status }: { status: string }): JSX.Element {
  return (
    <span class={`status status-${status}`} data-status={status}>
      <span aria-hidden="true">{ICONS[status] ?? '•'}</span> {statusLabel(status)}
    </span>
  );
}
