// The all-in-one's generated secrets: an admin token and the key that seals env values, kept in the
// data folder (mode 0600) so restarts keep working. Production passes both through the environment.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN_FILE } from '../config';
import { newToken } from '../security/secrets';

const SECRET_KEY_FILE = 'secret-key';

function readOrCreate(dataDir: string, file: string, make: () => string): string {
  mkdirSync(dataDir, { recursive: true });
  const p = path.join(dataDir, file);
  if (existsSync(p)) return readFileSync(p, 'utf8').trim();
  const value = make();
  writeFileSync(p, `${value}\n`, { mode: 0o600 });
  return value;
}

export function localAdminToken(dataDir: string): string {
  return readOrCreate(dataDir, ADMIN_TOKEN_FILE, () => newToken('adm'));
}

export function localSecretKey(dataDir: string): string {
  return readOrCreate(dataDir, SECRET_KEY_FILE, () => randomBytes(32).toString('hex'));
}
