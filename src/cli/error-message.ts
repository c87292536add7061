// The one way the CLI turns a thrown value into text.

/** What a thrown value says, on one line: an Error's message, anything else as a string. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
