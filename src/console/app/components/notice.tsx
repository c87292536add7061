// Errors and one-off messages, announced to screen readers.
import type { ComponentChildren, JSX } from 'preact';

export function ErrorNote({ error }: { error: string | undefined }): JSX.Element | null {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      <span aria-hidden="true">⚠</span> {error}
    </p>
  );
}

export function Note({ children }: { children: ComponentChildren }): JSX.Element {
  return (
    <p class="note" role="status">
      {children}
    </p>
  );
}
