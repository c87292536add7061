// A script step: the body goes to a private temp file (folder 0700, file 0700), the interpreter runs
// it with its args, and the folder is removed when the process ends, whatever the outcome.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Interpreter, ScriptAction } from '../protocol/v1/action';
import { immediateFailure, startProcess, type RunningCommand, type RunOptions } from './runner';
import { onPath } from './shells';

const EXTENSIONS: Record<Interpreter, string> = { sh: 'sh', bash: 'sh', powershell: 'ps1', python3: 'py', node: 'js' };

/** The program and leading arguments that run a script file, or undefined when it is not installed. */
function interpreterFor(interpreter: Interpreter): { file: string; args: string[] } | undefined {
  const found = (file: string | undefined, args: string[] = []): { file: string; args: string[] } | undefined => (file ? { file, args } : undefined);
  switch (interpreter) {
    case 'sh':
      return found(process.platform === 'win32' ? onPath('sh') : '/bin/sh');
    case 'bash':
      return found(onPath('bash'));
    case 'powershell':
      return found(onPath('pwsh') ?? (process.platform === 'win32' ? onPath('powershell') : undefined), ['-NoProfile', '-File']);
    case 'python3':
      return found(onPath('python3') ?? (process.platform === 'win32' ? onPath('python') : undefined));
    case 'node':
      // The agent's own runtime only when it is node itself (a single executable is the agent, not node).
      return found(onPath('node') ?? (/^node(\.exe)?$/i.test(path.basename(process.execPath)) ? process.execPath : undefined));
  }
}

export function startScript(step: ScriptAction, opts: RunOptions = {}): RunningCommand {
  const program = interpreterFor(step.interpreter);
  if (!program) return immediateFailure(`interpreter "${step.interpreter}" is not available on this device`);
  let dir: string;
  let file: string;
  try {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-script-'));
    file = path.join(dir, `script.${EXTENSIONS[step.interpreter]}`);
    writeFileSync(file, step.body, { mode: 0o700 });
  } catch (err) {
    return immediateFailure(`could not write the script: ${err instanceof Error ? err.message : String(err)}`);
  }
  const running = startProcess(
    { file: program.file, args: [...program.args, file, ...(step.args ?? [])], env: step.env, cwd: step.cwd, timeoutSec: step.timeoutSec },
    opts,
  );
  const result = running.result.finally(() => rmSync(dir, { recursive: true, force: true }));
  return { result, cancel: () => running.cancel() };
}
