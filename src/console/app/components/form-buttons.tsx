// The foot of every dialog's form: the submit button, then Cancel.
import type { ComponentChildren, JSX } from 'preact';

export function FormButtons(props: { submit: ComponentChildren; disabled?: boolean; onCancel: () => void }): JSX.Element {
  return (
    <div class="buttons">
      <button type="submit" class="primary" disabled={props.disabled}>
        {props.submit}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
