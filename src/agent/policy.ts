// The device owner's safety options: which commands and scripts may run, and where file pushes may
// write. A refusal is a reason string; the step then fails with it and nothing runs or is written.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Action } from '../protocol/v1/action';

export interface AgentPolicy {
  /** Each must match a whole command (or script body). Absent: anything runs. */
  allowCommands?: readonly RegExp[];
  /** Real paths of the folders file pushes may write into. Absent: anywhere. */
  allowFileDirs?: readonly string[];
}

export function createPolicy(allowCommands: readonly string[] | undefined, allowFileDirs: readonly string[] | undefined): AgentPolicy {
  return {
    allowCommands: allowCommands?.map((p) => new RegExp(`^(?:${p})$`, 's')),
    allowFileDirs: allowFileDirs?.map((d) => realPathOf(path.resolve(d))),
  };
}

/** The real path of p: symlinks resolved in the part that exists, the rest appended as given. */
export function realPathOf(p: string): string {
  const missing: string[] = [];
  let current = path.resolve(p);
  for (;;) {
    try {
      return path.join(realpathSync(current), ...missing.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.join(current, ...missing.reverse());
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

const inside = (dir: string, target: string): boolean => {
  const rel = path.relative(dir, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/** Why this step may not run here, or undefined when it may. */
export function refusal(policy: AgentPolicy, step: Action): string | undefined {
  if (step.type === 'file') {
    if (!policy.allowFileDirs) return undefined;
    // The folder the file lands in, with `..` and symlinks resolved; the file itself is replaced by rename.
    const target = path.join(realPathOf(path.dirname(path.resolve(step.path))), path.basename(step.path));
    if (policy.allowFileDirs.some((dir) => inside(dir, target))) return undefined;
    return `refused by agent policy: ${step.path} is outside the allowed folders (${policy.allowFileDirs.join(', ')})`;
  }
  if (!policy.allowCommands) return undefined;
  const text = step.type === 'command' ? step.command : step.body;
  if (policy.allowCommands.some((re) => re.test(text))) return undefined;
  return step.type === 'command'
    ? 'refused by agent policy: the command matches no allowed pattern'
    : 'refused by agent policy: the script body matches no allowed pattern';
}
