// The configurable size limit on what devices are asked to run: every command or script text in an
// action (however nested, e.g. in steps) is measured in UTF-8 bytes.

/** Fields whose text a device runs (a script step's text is its `body`). */
const RUNNABLE_FIELDS = new Set(['command', 'script', 'body']);

export interface OversizedText {
  /** Dotted path from the action, e.g. `command` or `steps.2.script`. */
  path: string;
  bytes: number;
}

export function oversizedTexts(action: unknown, maxBytes: number, at: string[] = []): OversizedText[] {
  if (Array.isArray(action)) return action.flatMap((v, i) => oversizedTexts(v, maxBytes, [...at, String(i)]));
  if (action === null || typeof action !== 'object') return [];
  return Object.entries(action).flatMap(([key, value]) => {
    if (RUNNABLE_FIELDS.has(key) && typeof value === 'string') {
      const bytes = new TextEncoder().encode(value).length;
      return bytes > maxBytes ? [{ path: [...at, key].join('.'), bytes }] : [];
    }
    return oversizedTexts(value, maxBytes, [...at, key]);
  });
}
