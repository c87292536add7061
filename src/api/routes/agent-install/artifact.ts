// The agent file the API serves: the one-file build (npm run build:agent), with its sha256, read once
// per build (a rebuilt file is hashed again).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Where npm run build:agent writes the bundle, from the project root. */
export const AGENT_BUNDLE = path.resolve(__dirname, '../../../../dist/flotilla-agent.cjs');

export interface AgentArtifact {
  data: Buffer;
  sha256: string;
}

let cached: { mtimeMs: number; size: number; artifact: AgentArtifact } | undefined;

/** The built agent, or undefined when it has not been built. */
export async function agentArtifact(file = AGENT_BUNDLE): Promise<AgentArtifact | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info) return undefined;
  if (cached?.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.artifact;
  const data = await readFile(file);
  const artifact = { data, sha256: createHash('sha256').update(data).digest('hex') };
  cached = { mtimeMs: info.mtimeMs, size: info.size, artifact };
  return artifact;
}
