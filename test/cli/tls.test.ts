// The API over https with a certificate from a throwaway CA, used by the real CLI process: with
// FLOTILLA_CA_FILE it works (including rotate-token); without it the CLI says the certificate is not
// trusted and how to fix it.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../src/api';
import { createLogger } from '../../src/logger';
import { startHarness, type Harness } from '../api/harness';
import { makeTestCerts, type TestCerts } from '../helpers/certs';
import { TEST_ADMIN_TOKEN } from '../helpers/config';
import { runCli } from './run-cli';

let h: Harness;
let api: RunningApi;
let certs: TestCerts;

beforeAll(async () => {
  certs = makeTestCerts();
  h = await startHarness({ FLOTILLA_TLS_CERT: certs.serverCert, FLOTILLA_TLS_KEY: certs.serverKey });
  api = await startApi({ db: h.db.handle, temporal: h.client, config: h.config, logger: createLogger('tls-test', 'silent'), port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await api?.stop();
  await h?.close();
  if (certs) rmSync(certs.dir, { recursive: true, force: true });
});

describe('API over https with the CLI', () => {
  it('serves https and the CLI trusting the CA through FLOTILLA_CA_FILE adds, lists and rotates', async () => {
    expect(api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const env = { FLOTILLA_API_URL: api.url, FLOTILLA_TOKEN: TEST_ADMIN_TOKEN, FLOTILLA_CA_FILE: certs.caCert };
    const added = await runCli(['devices', 'add', 'tls-device', '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    const { device, agentToken } = JSON.parse(added.stdout) as { device: { id: string }; agentToken: string };
    const listed = await runCli(['devices', 'list', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((d) => d.name)).toEqual(['tls-device']);
    const rotated = await runCli(['devices', 'rotate-token', device.id], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    const token = /agent token {2}(\S+)/.exec(rotated.stdout)?.[1];
    expect(token).toMatch(/^fla_/);
    expect(token).not.toBe(agentToken);
  });

  it('without the CA (or with another) the CLI refuses the certificate, says how to fix it, and exits 2', async () => {
    for (const ca of [undefined, certs.otherCaCert]) {
      const env: Record<string, string> = { FLOTILLA_API_URL: api.url, FLOTILLA_TOKEN: TEST_ADMIN_TOKEN, ...(ca ? { FLOTILLA_CA_FILE: ca } : {}) };
      const res = await runCli(['devices', 'list'], env);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/TLS certificate at https:\/\/127\.0\.0\.1:\d+ is not trusted .*set FLOTILLA_CA_FILE to the CA that signed it/);
    }
  });

  it('a CA file that cannot be read is a clear configuration error', async () => {
    const res = await runCli(['devices', 'list'], { FLOTILLA_API_URL: api.url, FLOTILLA_TOKEN: TEST_ADMIN_TOKEN, FLOTILLA_CA_FILE: '/nonexistent/ca.pem' });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/FLOTILLA_CA_FILE: cannot read \/nonexistent\/ca\.pem/);
  });
});
