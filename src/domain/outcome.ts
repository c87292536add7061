// Outcome groups: devices whose executions (or one step of them) ended with the same status, exit code
// and output, compared after a normalisation the caller picks. PostgreSQL stores one key per
// normalisation with every row (generated columns in src/db/schema.ts); this module names them and
// encodes a group's key for URLs. normalizeOutput is the same rule in TypeScript, for tests and tools.

export const OUTCOME_NORMALIZATIONS = ['none', 'whitespace', 'digits'] as const;
export type OutcomeNormalization = (typeof OUTCOME_NORMALIZATIONS)[number];

/** A group key as the API shows it: normalisation, optional step index, and the stored md5. */
export interface OutcomeKey {
  normalize: OutcomeNormalization;
  /** The step (0-based) whose outcome is grouped; null for the execution's own outcome. */
  step: number | null;
  hash: string;
}

const LETTER: Record<OutcomeNormalization, string> = { none: 'n', whitespace: 'w', digits: 'd' };
const KEY_PATTERN = /^([nwd])(\d{1,2})?-([0-9a-f]{32})$/;

export function formatOutcomeKey(key: OutcomeKey): string {
  return `${LETTER[key.normalize]}${key.step ?? ''}-${key.hash}`;
}

/** The key's parts, or null when the text is not a key this module made. */
export function parseOutcomeKey(text: string): OutcomeKey | null {
  const m = KEY_PATTERN.exec(text);
  if (!m) return null;
  const normalize = OUTCOME_NORMALIZATIONS.find((n) => LETTER[n] === m[1]) as OutcomeNormalization;
  return { normalize, step: m[2] === undefined ? null : Number(m[2]), hash: m[3] as string };
}

/** Output as the grouping compares it: white space runs folded and trimmed; for digits, digit runs become 0. */
export function normalizeOutput(text: string, normalize: OutcomeNormalization): string {
  if (normalize === 'none') return text;
  const folded = text.replace(/\s+/g, ' ').replace(/^ | $/g, '');
  return normalize === 'whitespace' ? folded : folded.replace(/[0-9]+/g, '0');
}
