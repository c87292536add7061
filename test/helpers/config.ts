// The one way tests build a server configuration: loadServerConfig (the production parser) over the
// settings every in-process test wants, plus the test's own. An empty string unsets a setting.
import { loadServerConfig, type ServerConfig } from '../../src/config';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_SECRET_KEY = 'ab'.repeat(32);

const TEST_DEFAULTS: Record<string, string> = {
  FLOTILLA_BIND_HOST: '127.0.0.1',
  // Gateways listen on a port the OS picks; the API is driven through app.request or given a port.
  FLOTILLA_GATEWAY_PORT: '0',
  FLOTILLA_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
  FLOTILLA_SECRET_KEY: TEST_SECRET_KEY,
  // In-process requests come faster than any client's; the rate limit has its own test (api/limits.test.ts).
  FLOTILLA_RATE_LIMIT_RPS: '0',
};

export function testConfig(env: Record<string, string> = {}): ServerConfig {
  return loadServerConfig({ ...TEST_DEFAULTS, ...env });
}
