// Runs one process in its own process group: captures capped output, enforces the timeout, obeys
// cancel, and answers a result with the device's own timestamps. Commands and scripts both end here.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { KILL_GRACE_MS, OUTPUT_CAP_BYTES } from '../protocol/constants';
import type { CommandAction } from '../protocol/v1/action';
import type { ResultMessage } from '../protocol/v1/messages';
import { CappedOutput } from './capped-output';
import { childEnvironment } from './child-env';
import { resolveShell } from './shells';

export type CommandResult = Omit<ResultMessage, 'v' | 'id' | 'type' | 'executionId'>;

export interface RunOptions {
  /** Called once the process exists, with its start time. */
  onStarted?: (startedAt: string) => void;
  /** Called with every piece of output as the command prints it (live output). */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  outputCapBytes?: number;
  killGraceMs?: number;
  /** After the shell exits, how long to wait for its output pipes to close (a background child may hold them). */
  drainMs?: number;
  /** What a process starts with before its own env (see child-env.ts). Default: the service's, minus the agent's own. */
  baseEnv?: Readonly<Record<string, string>>;
}

export interface RunningCommand {
  readonly result: Promise<CommandResult>;
  /** Kills the process group; the result is 'cancelled'. */
  cancel(): void;
}

const now = (): string => new Date().toISOString();

export function immediateFailure(error: string): RunningCommand {
  const at = now();
  const result: CommandResult = {
    status: 'failed',
    exitCode: null,
    stdout: '',
    stderr: '',
    truncated: false,
    startedAt: null,
    completedAt: at,
    error,
  };
  return { result: Promise.resolve(result), cancel: () => undefined };
}

function cwdProblem(cwd: string | undefined): string | undefined {
  if (cwd === undefined) return undefined;
  try {
    return statSync(cwd).isDirectory() ? undefined : `working directory is not a directory: ${cwd}`;
  } catch {
    return `working directory does not exist: ${cwd}`;
  }
}

/** A process to start: the program, its arguments and what it runs with. */
export interface ProcessSpec {
  file: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  timeoutSec: number;
}

export function startCommand(action: CommandAction, opts: RunOptions = {}): RunningCommand {
  const shell = resolveShell(action.shell, action.command);
  if (!shell) return immediateFailure(`shell "${action.shell}" is not available on this device`);
  return startProcess({ ...shell, env: action.env, cwd: action.cwd, timeoutSec: action.timeoutSec }, opts);
}

export function startProcess(spec: ProcessSpec, opts: RunOptions = {}): RunningCommand {
  const badCwd = cwdProblem(spec.cwd);
  if (badCwd) return immediateFailure(badCwd);

  const cap = opts.outputCapBytes ?? OUTPUT_CAP_BYTES;
  const stdout = new CappedOutput(cap);
  const stderr = new CappedOutput(cap);
  const child = spawn(spec.file, spec.args, {
    cwd: spec.cwd,
    env: { ...(opts.baseEnv ?? childEnvironment(process.env)), ...spec.env },
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const startedAt = now();
  let stopReason: 'timed_out' | 'cancelled' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let exited = false;

  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  const stop = (reason: 'timed_out' | 'cancelled'): void => {
    if (stopReason || exited) return;
    stopReason = reason;
    signalGroup('SIGTERM');
    killTimer = setTimeout(() => signalGroup('SIGKILL'), opts.killGraceMs ?? KILL_GRACE_MS);
  };
  const timeout = setTimeout(() => stop('timed_out'), spec.timeoutSec * 1000);

  child.stdout.on('data', (c: Buffer) => {
    stdout.push(c);
    opts.onOutput?.('stdout', c);
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr.push(c);
    opts.onOutput?.('stderr', c);
  });

  const result = new Promise<CommandResult>((resolve) => {
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });
    child.once('spawn', () => opts.onStarted?.(startedAt));
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      // The group may still hold children after the shell exited on a timeout/cancel: make sure they die too.
      if (stopReason) signalGroup('SIGKILL');
      if (killTimer) clearTimeout(killTimer);
      child.stdout.destroy();
      child.stderr.destroy();
      const status = stopReason ?? (spawnError ? 'failed' : code === 0 ? 'succeeded' : 'failed');
      let error: string | null = null;
      if (spawnError) error = `could not start ${spec.file}: ${spawnError.message}`;
      else if (stopReason === 'timed_out') error = `timed out after ${spec.timeoutSec}s`;
      else if (stopReason === 'cancelled') error = 'cancelled';
      else if (signal) error = `killed by ${signal}`;
      resolve({
        status,
        exitCode: code,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.truncated || stderr.truncated,
        startedAt: spawnError ? null : startedAt,
        completedAt: now(),
        error,
      });
    };
    child.once('close', (code, signal) => finish(code, signal));
    child.once('exit', (code, signal) => {
      exited = true;
      // A background grandchild can keep the pipes open after the shell exits; do not wait for it forever.
      setTimeout(() => finish(code, signal), opts.drainMs ?? 1000).unref();
    });
    child.once('error', () => {
      if (child.pid === undefined) finish(null, null);
    });
  });

  return { result, cancel: () => stop('cancelled') };
}
