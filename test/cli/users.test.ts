// The real `flotilla users` and `flotilla tokens` commands against a real API on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../src/api';
import { createLogger } from '../../src/logger';
import { TEST_ADMIN_TOKEN } from '../helpers/config';
import { startHarness, type Harness } from '../api/harness';
import { runCli } from './run-cli';

let h: Harness;
let api: RunningApi;
const as = (token: string) => (...args: string[]) => runCli(args, { FLOTILLA_API_URL: api.url, FLOTILLA_TOKEN: token });

beforeAll(async () => {
  h = await startHarness();
  api = await startApi({ db: h.db.handle, temporal: h.client, config: h.config, logger: createLogger('cli-users', 'silent'), port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await api.stop();
  await h.close();
});

describe('flotilla users and tokens', () => {
  it('an admin creates an operator, whose token works; the operator mints, lists and revokes their own tokens', async () => {
    const admin = as(TEST_ADMIN_TOKEN);
    const created = await admin('users', 'create', 'ops-1', '--role', 'operator');
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^flt_/);
    expect(created.stderr).toContain('shown only this once');

    const listed = await admin('users', 'list');
    expect(listed.stdout).toMatch(/ops-1\s+operator/);
    const op = as(token);
    expect((await op('users', 'me')).stdout).toMatch(/^ops-1 \(operator\)/);

    const minted = await op('tokens', 'create', '--name', 'laptop', '--json');
    expect(minted.code, minted.stderr).toBe(0);
    const { tokenId, token: laptop } = JSON.parse(minted.stdout) as { tokenId: string; token: string };
    const tokens = await op('tokens', 'list');
    expect(tokens.stdout).toContain('laptop');
    expect(tokens.stdout).not.toContain(laptop);
    expect((await admin('tokens', 'list', '--user', 'ops-1')).stdout).toContain(tokenId);

    expect((await op('tokens', 'revoke', tokenId)).code).toBe(0);
    const refused = await as(laptop)('devices', 'list');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('HTTP 401');
  });

  it('an operator may not create users: exit 2 with the API’s 403', async () => {
    const created = await as(TEST_ADMIN_TOKEN)('users', 'create', 'ops-2', '--role', 'operator');
    const res = await as(created.stdout.trim())('users', 'create', 'sneaky', '--role', 'admin');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('HTTP 403, forbidden');
  });
});
