// Runs Flotilla's real entry points (src/main/*.ts) as child processes for end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  /** Every stdout/stderr line so far. */
  lines: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends a signal and waits for exit (SIGKILL after a grace period). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startProcess(name: string, script: string, env: Record<string, string>, args: string[] = []): RunningProcess {
  // node itself loads tsx, so the child IS the program: a SIGKILL reaches it, not a wrapper.
  return startProgram(name, process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], { ...process.env, FLOTILLA_LOG_LEVEL: 'info', ...env });
}

/** Any program (a built agent, a shell script), with exactly the environment given. */
export function startProgram(name: string, file: string, args: string[], env: Record<string, string | undefined>, cwd = ROOT): RunningProcess {
  const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (l: string) => void }>();
  const onData = (buf: Buffer): void => {
    for (const line of buf.toString().split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (process.env.TEST_VERBOSE) process.stderr.write(`[${name}] ${line}\n`);
      for (const w of waiters) {
        if (w.pattern.test(line)) {
          waiters.delete(w);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 30_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { pattern, resolve };
        waiters.add(w);
        const t = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`));
        }, timeoutMs);
        void exited.then((code) => {
          if (!waiters.has(w)) return;
          waiters.delete(w);
          clearTimeout(t);
          reject(new Error(`${name} exited (${code}) before printing ${pattern}; last lines:\n${lines.slice(-15).join('\n')}`));
        });
        const orig = w.resolve;
        w.resolve = (l) => {
          clearTimeout(t);
          orig(l);
        };
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

/** Entry points log `{"msg":"ready"}` (pino JSON) once they serve. */
export const READY = /"msg":"ready"/;
