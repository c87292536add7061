// A result frame must fit the gateway's largest frame even when the output is mostly characters that
// JSON escapes to six bytes each. Outputs are shortened (and flagged truncated) until it does.
import { DEFAULT_MAX_FRAME_BYTES } from '../protocol/constants';
import type { CommandResult } from './runner';

/** Room left for the rest of the frame (ids, timestamps, error). */
const ENVELOPE_BYTES = 16 * 1024;

const encodedBytes = (s: string): number => Buffer.byteLength(JSON.stringify(s));

export function fitResult(result: CommandResult, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): CommandResult {
  const budget = maxFrameBytes - ENVELOPE_BYTES;
  let { stdout, stderr } = result;
  let truncated = result.truncated;
  for (let i = 0; i < 64 && encodedBytes(stdout) + encodedBytes(stderr) > budget; i++) {
    const over = encodedBytes(stdout) + encodedBytes(stderr) - budget;
    const longer = encodedBytes(stdout) >= encodedBytes(stderr) ? 'stdout' : 'stderr';
    const text = longer === 'stdout' ? stdout : stderr;
    // Each character costs at most 6 encoded bytes (12 for a surrogate pair): cut enough, never everything at once.
    const cut = Math.max(1, Math.ceil(over / 6));
    const shorter = text.slice(0, Math.max(0, text.length - cut));
    if (longer === 'stdout') stdout = shorter;
    else stderr = shorter;
    truncated = true;
  }
  return truncated === result.truncated && stdout === result.stdout && stderr === result.stderr
    ? result
    : { ...result, stdout, stderr, truncated };
}
