import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_FILE, loadCliConfig } from '../../src/config';

const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCliConfig', () => {
  it('prefers FLOTILLA_TOKEN, then FLOTILLA_ADMIN_TOKEN, then the all-in-one token file', () => {
    writeFileSync(path.join(dir, ADMIN_TOKEN_FILE), 'adm_from_file\n');
    expect(loadCliConfig({ FLOTILLA_DATA_DIR: dir }).token).toBe('adm_from_file');
    expect(loadCliConfig({ FLOTILLA_DATA_DIR: dir, FLOTILLA_ADMIN_TOKEN: 'adm_env' }).token).toBe('adm_env');
    expect(loadCliConfig({ FLOTILLA_DATA_DIR: dir, FLOTILLA_ADMIN_TOKEN: 'adm_env', FLOTILLA_TOKEN: 'tok' }).token).toBe('tok');
  });

  it('has no token when none is given and no file exists', () => {
    const cfg = loadCliConfig({ FLOTILLA_DATA_DIR: path.join(dir, 'missing'), FLOTILLA_API_URL: 'http://api:9000/' });
    expect(cfg).toEqual({ apiUrl: 'http://api:9000', token: undefined });
  });
});
