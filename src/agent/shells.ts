// How each requested shell is started on this platform, and whether it exists here.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { Shell } from '../protocol/v1/action';

export interface ShellInvocation {
  file: string;
  args: string[];
}

export function onPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['', '.exe', '.cmd'] : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

function executable(file: string): string | undefined {
  try {
    accessSync(file, constants.X_OK);
    return file;
  } catch {
    return undefined;
  }
}

/** The command line for a shell, or undefined when that shell is not installed on this device. */
export function resolveShell(shell: Shell, command: string): ShellInvocation | undefined {
  const windows = process.platform === 'win32';
  switch (shell) {
    case 'sh': {
      const file = windows ? onPath('sh') : executable('/bin/sh');
      return file ? { file, args: ['-c', command] } : undefined;
    }
    case 'bash': {
      const file = onPath('bash');
      return file ? { file, args: ['-c', command] } : undefined;
    }
    case 'powershell': {
      const file = onPath('pwsh') ?? (windows ? onPath('powershell') : undefined);
      return file ? { file, args: ['-NoProfile', '-Command', command] } : undefined;
    }
    case 'cmd': {
      const file = windows ? onPath('cmd') : undefined;
      return file ? { file, args: ['/d', '/s', '/c', command] } : undefined;
    }
  }
}
