// Runs the real `flotilla` CLI (src/cli/main.ts through tsx) as a child process. Node loads tsx as a
// hook in the same process, so a signal sent to the child reaches the CLI once (the tsx binary would add
// a relaying parent, which under load can deliver one Ctrl-C twice).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  /** Everything printed on stderr so far. */
  stderr(): string;
  done: Promise<CliResult>;
}

export function startCli(args: string[], env: Record<string, string>): CliRun {
  const base = { ...process.env };
  // Only what the test hands in decides the API and the token.
  for (const k of ['FLOTILLA_TOKEN', 'FLOTILLA_ADMIN_TOKEN', 'FLOTILLA_API_URL', 'FLOTILLA_DATA_DIR']) delete base[k];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { child, stderr: () => stderr, done };
}

export async function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return startCli(args, env).done;
}
