// The oldest agent a gateway accepts (FLOTILLA_MIN_AGENT_VERSION): an older agent's hello is answered
// with an error naming the version to install, and the connection is closed as unsupported.
import type { DeviceFacts } from '../protocol/v1/messages';

/** major.minor.patch; a pre-release (1.2.0-rc.1) counts as older than its release. */
function parse(version: string): { parts: [number, number, number]; pre: boolean } | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(version.trim());
  if (!m) return undefined;
  return { parts: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] !== undefined };
}

/** Negative when a is older than b; undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return undefined;
  for (let i = 0; i < 3; i++) {
    const d = pa.parts[i]! - pb.parts[i]!;
    if (d !== 0) return d;
  }
  return Number(!pa.pre) - Number(!pb.pre);
}

export function isValidVersion(version: string): boolean {
  return parse(version) !== undefined;
}

/** Why this agent is refused, or undefined when it is recent enough (or no minimum is set). */
export function agentVersionRefusal(facts: DeviceFacts, minimum: string | undefined): string | undefined {
  if (minimum === undefined) return undefined;
  const order = compareVersions(facts.agentVersion, minimum);
  if (order !== undefined && order >= 0) return undefined;
  return `agent version ${facts.agentVersion} is older than ${minimum}, the oldest this gateway accepts: install flotilla-agent ${minimum} or newer`;
}
