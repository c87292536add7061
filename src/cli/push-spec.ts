// `flotilla run --push LOCAL:REMOTE[:MODE]`: upload local files and write them on the devices before the work.
import type { FileAction } from '../protocol/v1/action';
import { UsageError } from './parse';

export interface PushSpec {
  local: string;
  /** Absolute path on the device. */
  path: string;
  mode?: string;
}

const PUSH = /^([^:]+):([^:]+)(?::(0?[0-7]{3,4}))?$/;

export function parsePushSpec(raw: string): PushSpec {
  const m = PUSH.exec(raw);
  if (!m) throw new UsageError(`--push takes LOCAL:REMOTE[:MODE] (MODE octal like 0644), got "${raw}"`);
  const [, local = '', remote = '', mode] = m;
  if (!remote.startsWith('/')) throw new UsageError(`--push: the device path must be absolute, got "${remote}"`);
  return mode === undefined ? { local, path: remote } : { local, path: remote, mode };
}

/** File steps go first and in order, so the work after them can use the files: refused with parallel steps. */
export function checkPushable(body: Record<string, unknown>): void {
  if (body.stepMode === 'parallel') throw new UsageError('--push writes files before the steps run; it cannot be used with "stepMode": "parallel"');
}

/** The batch body with a file step per pushed file before its action or steps. */
export function withFileSteps(body: Record<string, unknown>, fileSteps: Array<Omit<FileAction, 'timeoutSec'>>): Record<string, unknown> {
  if (fileSteps.length === 0) return body;
  const { action, steps, ...rest } = body;
  const work = Array.isArray(steps) ? (steps as unknown[]) : [action];
  return { ...rest, steps: [...fileSteps, ...work] };
}
