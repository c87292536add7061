// The device token on disk: one line in a file only its owner may read (0600). A file that group or
// others can read or write is refused, so a token never sits where another account can copy it.
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The token file's name inside the data folder, where enrollment writes it. */
export const TOKEN_FILE_NAME = 'token';

export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
  constructor(
    readonly reason: 'unreadable' | 'exposed' | 'empty',
    message: string,
  ) {
    super(message);
  }
}

export function readTokenFile(file: string): string {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (err) {
    throw new TokenFileError('unreadable', `cannot read the token file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new TokenFileError(
      'exposed',
      `the token file ${file} is accessible by group or others (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${file}`,
    );
  }
  const token = readFileSync(file, 'utf8').trim();
  if (token === '') throw new TokenFileError('empty', `the token file ${file} is empty`);
  return token;
}

/** Writes the token atomically with mode 0600 (the folder is created 0700 if missing). */
export function writeTokenFile(file: string, token: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
