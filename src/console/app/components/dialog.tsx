// A modal dialog on the native <dialog> element: focus moves in, Escape closes, focus returns.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Dialog(props: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const before = document.activeElement as HTMLElement | null;
    if (!el.open) el.showModal();
    const onCancel = (e: Event): void => {
      e.preventDefault();
      props.onClose();
    };
    el.addEventListener('cancel', onCancel);
    return () => {
      el.removeEventListener('cancel', onCancel);
      // Outside an open modal everything is inert: close it before handing focus back.
      el.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog ref={ref} class={props.wide ? 'wide' : undefined} aria-label={props.title}>
      <header class="dialog-head">
        <h2>{props.title}</h2>
        <button type="button" class="plain" onClick={props.onClose} aria-label="Close">
          ✕
        </button>
      </header>
      {props.children}
    </dialog>
  );
}
