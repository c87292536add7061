// The gateway entry point as a real process: serves agents, stops cleanly on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { devices } from '../../src/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { freePort, waitFor } from '../helpers/ports';
import { READY, startProcess, type RunningProcess } from '../helpers/processes';
import { insertDevice } from './fixtures';

let testDb: TestDatabase;
const procs: RunningProcess[] = [];
const tmp = mkdtempSync(path.join(tmpdir(), 'flotilla-gw-entry-'));

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL', 1000)));
  await testDb?.drop();
  rmSync(tmp, { recursive: true, force: true });
});

it('npm run gateway serves an agent and exits 0 on SIGTERM, marking the device offline', async () => {
  const port = await freePort();
  const gateway = startProcess('gateway', 'src/main/gateway.ts', {
    DATABASE_URL: testDb.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    FLOTILLA_GATEWAY_PORT: String(port),
    FLOTILLA_BIND_HOST: '127.0.0.1',
    FLOTILLA_GATEWAY_ID: 'entry-test',
    // No fixed metrics ports: other test files may run processes at the same time (test/e2e/metrics.test.ts covers them).
    FLOTILLA_GATEWAY_METRICS_PORT: '0',
    FLOTILLA_SDK_METRICS_PORT: '0',
  });
  procs.push(gateway);
  const ready = await gateway.waitForLine(READY, 60_000);
  expect(JSON.parse(ready)).toMatchObject({ url: `ws://127.0.0.1:${port}`, gatewayId: 'entry-test' });

  const device = await insertDevice(testDb.handle.orm);
  const agent = startProcess('agent', 'src/main/agent.ts', { FLOTILLA_AGENT_TOKEN: device.token }, [
    '--gateway',
    `ws://127.0.0.1:${port}`,
    '--device-id',
    device.id,
    '--data-dir',
    path.join(tmp, device.id),
  ]);
  procs.push(agent);
  await agent.waitForLine(READY, 30_000);
  const online = async (): Promise<boolean | undefined> =>
    (await testDb.handle.orm.select({ online: devices.online }).from(devices).where(eq(devices.id, device.id)))[0]?.online;
  expect(await online()).toBe(true);

  expect(await gateway.stop('SIGTERM', 20_000)).toBe(0);
  expect(await online()).toBe(false);
  await agent.waitForLine(/"msg":"disconnected".*4009|4009.*"msg":"disconnected"/, 10_000);
  // The token never reaches a log line, on either side.
  expect([...gateway.lines, ...agent.lines].some((l) => l.includes(device.token))).toBe(false);
  expect(await agent.stop('SIGTERM')).toBe(0);
  await waitFor('agent exit', () => agent.child.exitCode !== null || agent.child.signalCode !== null, 5_000);
});
