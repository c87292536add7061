// A result frame must fit the gateway's largest frame even when the outputs (the execution's and
// every step's) are mostly characters that JSON escapes to six bytes each. The longest output is
// shortened (and flagged truncated) until the whole fits.
import { DEFAULT_MAX_FRAME_BYTES } from '../protocol/constants';
import type { StepResult } from '../protocol/v1/messages';
import type { CommandResult } from './runner';

/** Room left for the rest of the frame (ids, timestamps, errors), plus a little per step. */
const ENVELOPE_BYTES = 16 * 1024;
const STEP_ENVELOPE_BYTES = 6 * 1024;

const encodedBytes = (s: string): number => Buffer.byteLength(JSON.stringify(s));

interface Output {
  text: string;
  truncated: boolean;
}

/** Cuts the longest of these outputs until their encoded size fits budget; answers them in order. */
function fitOutputs(outputs: Output[], budget: number): Output[] {
  const out = outputs.map((o) => ({ ...o }));
  const sizes = out.map((o) => encodedBytes(o.text));
  const total = (): number => sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; i < 64 * out.length && total() > budget; i++) {
    const longest = sizes.indexOf(Math.max(...sizes));
    const o = out[longest] as Output;
    // Each character costs at most 6 encoded bytes (12 for a surrogate pair): cut enough, never everything at once.
    const cut = Math.max(1, Math.ceil((total() - budget) / 6));
    o.text = o.text.slice(0, Math.max(0, o.text.length - cut));
    o.truncated = true;
    sizes[longest] = encodedBytes(o.text);
  }
  return out;
}

export function fitResult(result: CommandResult, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): CommandResult {
  const steps = result.steps ?? [];
  const budget = maxFrameBytes - ENVELOPE_BYTES - steps.length * STEP_ENVELOPE_BYTES;
  const outputs: Output[] = [
    { text: result.stdout, truncated: result.truncated },
    { text: result.stderr, truncated: result.truncated },
    ...steps.flatMap((s) => [
      { text: s.stdout, truncated: s.truncated },
      { text: s.stderr, truncated: s.truncated },
    ]),
  ];
  const fitted = fitOutputs(outputs, budget);
  if (fitted.every((o, i) => o.text === outputs[i]?.text)) return result;
  const at = (i: number): Output => fitted[i] as Output;
  const fittedSteps = steps.map(
    (s, i): StepResult => ({ ...s, stdout: at(2 + 2 * i).text, stderr: at(3 + 2 * i).text, truncated: at(2 + 2 * i).truncated || at(3 + 2 * i).truncated }),
  );
  return {
    ...result,
    stdout: at(0).text,
    stderr: at(1).text,
    truncated: fitted.some((o) => o.truncated),
    ...(result.steps ? { steps: fittedSteps } : {}),
  };
}
