// Cursor paging: the API gives a nextCursor; the console keeps the cursors it came through to go back.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';

export interface CursorPager {
  cursor: string | undefined;
  page: number;
  next(cursor: string): void;
  back(): void;
  reset(): void;
}

export function useCursorPager(): CursorPager {
  const [stack, setStack] = useState<Array<string | undefined>>([undefined]);
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    next: (cursor) => setStack([...stack, cursor]),
    back: () => setStack(stack.length > 1 ? stack.slice(0, -1) : stack),
    reset: () => setStack([undefined]),
  };
}

export function Pager({ pager, nextCursor }: { pager: CursorPager; nextCursor: string | null | undefined }): JSX.Element {
  return (
    <nav class="pager" aria-label="pages">
      <button type="button" disabled={pager.page === 1} onClick={pager.back}>
        ← Previous
      </button>
      <span>page {pager.page}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        Next →
      </button>
    </nav>
  );
}
