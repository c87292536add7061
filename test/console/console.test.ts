// The web console in a real browser on the real stack: API, worker and gateway processes, real agents.
// Sign in, groups, the Run dialog and the live batch page, failed output, cancel, pause/resume of
// waves, schedules, the auditor's read-only view, sign-out; hostile names and outputs stay text.
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ensureConsoleBuilt } from '../../src/console/build';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { launchBrowser, openTab, screenshot, signIn, step, type Tab, type Win } from './browser';

/** Two cores shared by many processes: a batch may take a while to be picked up. */
const TEST_TIMEOUT_MS = 300_000;
const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_TAG = '<img/src=x/onerror=window.__pwned=2>';

let c: Cluster;
let browser: Browser;
let operator: { id: string; token: string };
let auditor: { token: string };
let devices: Device[];
let tab: Tab;

async function createUser(name: string, role: string): Promise<{ id: string; token: string }> {
  const r = await c.http<{ user: { id: string }; token: string }>('POST', '/v1/users', { name, role });
  if (r.status !== 201) throw new Error(`user ${name}: ${r.status}`);
  return { id: r.body.user.id, token: r.body.token };
}

async function addDeviceAs(token: string, name: string, tags: string[]): Promise<Device> {
  const r = await c.http<{ device: { id: string }; agentToken: string }>('POST', '/v1/devices', { name, tags }, { authorization: `Bearer ${token}` });
  if (r.status !== 201) throw new Error(`device ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.device.id, name, token: r.body.agentToken };
}

/** Waits until the batch page's device rows all show one of `statuses`. */
async function waitForRows(page: Page, count: number, status: string, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    ([n, s]) => (globalThis as unknown as Win).document.querySelectorAll(`table.executions tbody tr[data-status="${s}"]`).length === n,
    [count, status] as const,
    { timeout },
  );
}

async function fillCommand(page: Page, command: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Command', exact: true }).fill(command);
}

async function openRunDialog(page: Page): Promise<void> {
  await page.getByRole('button', { name: '▶ Run…' }).click();
  await page.getByRole('dialog', { name: 'Run' }).waitFor();
}

async function chooseGroup(page: Page, name: string): Promise<void> {
  await page.getByRole('dialog').getByRole('checkbox', { name: new RegExp(`${name} \\(`) }).check();
}

async function start(page: Page): Promise<string> {
  await page.getByRole('dialog').getByRole('button', { name: /^Start/ }).click();
  await page.waitForURL(/#\/batches\/[0-9a-f-]{36}$/);
  await page.locator('.batch-head').waitFor();
  return page.url().split('/').pop()!;
}

beforeAll(async () => {
  await ensureConsoleBuilt();
  c = await startCluster(inject('temporalAddress'));
  operator = await createUser('olga', 'operator');
  auditor = await createUser('audrey', 'auditor');
  devices = [];
  for (const name of ['web-1', 'web-2', HOSTILE]) devices.push(await addDeviceAs(operator.token, name, name === HOSTILE ? ['web', HOSTILE_TAG] : ['web']));
  await Promise.all(devices.map((d) => c.startAgent(d)));
  browser = await launchBrowser();
  tab = await openTab(browser, c.apiUrl);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await c?.stop();
});

describe('web console', () => {
  // Each test starts from the devices page with no dialog open, whatever the one before left.
  beforeEach(async () => {
    if (!tab.page.url().startsWith('http')) return;
    await tab.page.goto('about:blank');
    await tab.page.goto('/#/devices');
  }, TEST_TIMEOUT_MS);

  it('signs in and lists the devices with presence and facts', async () => {
    const { page } = tab;
    await step(page, 'sign-in', async () => {
      await signIn(page, operator.token);
      await page.getByRole('heading', { name: 'Devices' }).waitFor();
      await page.waitForFunction(() => (globalThis as unknown as Win).document.querySelectorAll('table.devices tbody tr [data-status="online"]').length === 3, undefined, { timeout: 20_000 });
    });
    await screenshot(page, 'devices');
    expect(await page.locator('table.devices tbody tr').count()).toBe(3);
    const row = page.locator('tr[data-device="web-1"]');
    await expect(row.textContent()).resolves.toMatch(/online/);
    await expect(row.textContent()).resolves.toMatch(/linux/i);
    // By keyboard: the Run dialog opens with Enter and closes with Escape, focus back on its button.
    await page.getByRole('button', { name: '▶ Run…' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Run' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Run' }).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (globalThis as unknown as Win).document.activeElement?.textContent)).toBe('▶ Run…');
    // A narrow window: the page itself never scrolls sideways (wide tables scroll in their own box).
    await page.setViewportSize({ width: 420, height: 800 });
    await screenshot(page, 'devices-narrow');
    expect(await page.evaluate(() => (globalThis as unknown as Win).document.documentElement.scrollWidth <= (globalThis as unknown as Win).innerWidth)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, TEST_TIMEOUT_MS);

  it('creates a group, adds members from a search, runs a command on it and watches devices succeed live', async () => {
    const { page } = tab;
    await step(page, 'create-group', async () => {
      await page.getByRole('link', { name: 'Groups' }).click();
      await page.getByLabel('New group').fill('web-fleet');
      await page.getByRole('button', { name: '+ Create group' }).click();
      await page.getByRole('heading', { name: 'Group web-fleet' }).waitFor();
      for (const d of devices) {
        await page.getByRole('button', { name: `Add ${d.name} to the group` }).click();
        await page.locator(`li[data-member="${d.name.replace(/"/g, '\\"')}"]`).waitFor();
      }
    });
    expect(await page.locator('ul.members li').count()).toBe(3);
    const batchId = await step(page, 'run-on-group', async () => {
      await page.getByRole('button', { name: '▶ Run on this group' }).click();
      await page.getByRole('dialog', { name: 'Run' }).waitFor();
      await page.locator('p.preview[data-matched="3"]').waitFor();
      await fillCommand(page, `echo "ran on $(hostname)"; echo '${HOSTILE}'`);
      await screenshot(page, 'run-dialog');
      await page.evaluate(() => ((globalThis as unknown as Win).__marker = 42));
      return start(page);
    });
    await step(page, 'batch-live', async () => {
      await waitForRows(page, 3, 'succeeded');
      await page.locator('li[data-count="succeeded"]').waitFor();
    });
    await page.locator('.batch-head h1 [data-status="succeeded"]').waitFor({ timeout: 120_000 });
    // The same document all along: no reload happened.
    expect(await page.evaluate(() => (globalThis as unknown as Win).__marker)).toBe(42);
    await screenshot(page, 'batch-succeeded');
    const api = await c.http<{ batch: { stats: Record<string, number> } }>('GET', `/v1/batches/${batchId}`);
    expect(api.body.batch.stats.succeeded).toBe(3);
  }, TEST_TIMEOUT_MS);

  it("shows a failed device's stderr", async () => {
    const { page } = tab;
    await step(page, 'failed-stderr', async () => {
      await page.getByRole('link', { name: 'Devices' }).click();
      await page.getByRole('button', { name: 'Run on web-2' }).click();
      await page.getByRole('dialog', { name: 'Run' }).waitFor();
      await page.locator('p.preview[data-matched="1"]').waitFor();
      await fillCommand(page, `echo "disk full on $(hostname)" >&2; exit 3`);
      await start(page);
      await waitForRows(page, 1, 'failed');
      await page.getByRole('button', { name: 'Output of web-2' }).click();
      await page.locator('pre.out.stderr').waitFor();
    });
    expect(await page.locator('pre.out.stderr').textContent()).toMatch(/disk full on/);
    expect(await page.locator('.device-output .facts').textContent()).toMatch(/exit code 3/);
    await screenshot(page, 'batch-failed-output');
    // Retry the failed device: a new batch, linked back to this one.
    const first = page.url().split('/').pop()!;
    await step(page, 'retry', async () => {
      await page.getByRole('button', { name: '↻ Retry' }).click();
      await page.waitForURL((u) => /#\/batches\/[0-9a-f-]{36}$/.test(u.toString()) && !u.toString().endsWith(first));
      await page.getByRole('link', { name: `retry of ${first.slice(0, 8)}` }).waitFor();
      await waitForRows(page, 1, 'failed');
    });
  }, TEST_TIMEOUT_MS);

  it("shows a running device's output live, then its stored result", async () => {
    const { page } = tab;
    await step(page, 'live-output', async () => {
      await page.getByRole('button', { name: 'Run on web-1' }).click();
      await page.getByRole('dialog', { name: 'Run' }).waitFor();
      await page.locator('p.preview[data-matched="1"]').waitFor();
      await fillCommand(page, 'for i in 1 2 3 4 5 6 7 8; do echo tick-$i; sleep 1; done');
      await start(page);
      await waitForRows(page, 1, 'running');
      await page.getByRole('button', { name: 'Output of web-1' }).click();
      await page.locator('pre.out.live', { hasText: 'tick-1' }).waitFor({ timeout: 20_000 });
    });
    // Seen while it was still running.
    expect(await page.locator('tr[data-device="web-1"]').getAttribute('data-status')).toBe('running');
    await screenshot(page, 'batch-live-output');
    await step(page, 'stored-output', async () => {
      await waitForRows(page, 1, 'succeeded');
      await page.locator('pre.out.stdout', { hasText: 'tick-8' }).waitFor();
    });
  }, TEST_TIMEOUT_MS);

  it('keeps following a batch across an API restart: the stream resumes from Last-Event-ID, no reload', async () => {
    const { page } = tab;
    await step(page, 'resume-start', async () => {
      await openRunDialog(page);
      await chooseGroup(page, 'web-fleet');
      await page.locator('p.preview[data-matched="3"]').waitFor();
      await fillCommand(page, 'sleep 6');
      await start(page);
      await waitForRows(page, 3, 'running');
    });
    await page.evaluate(() => ((globalThis as unknown as Win).__marker = 7));
    const reconnects: Array<Promise<string | undefined>> = [];
    const onRequest = (r: Request): void => {
      if (r.url().includes('/events')) reconnects.push(r.allHeaders().then((h) => h['last-event-id']));
    };
    page.on('request', onRequest);
    await c.api.stop('SIGKILL', 1000);
    await c.startApi();
    await step(page, 'resume-end', async () => {
      await waitForRows(page, 3, 'succeeded');
      await page.locator('.batch-head h1 [data-status="succeeded"]').waitFor({ timeout: 120_000 });
    });
    expect(await page.evaluate(() => (globalThis as unknown as Win).__marker)).toBe(7);
    // The browser reconnected by itself, resuming after the last event it had.
    page.off('request', onRequest);
    const ids = await Promise.all(reconnects);
    expect(ids.length).toBeGreaterThan(0);
    // (attempts refused while the API was down may show no headers; the one that connected carries it)
    expect(ids.at(-1)).toMatch(/^\d+-\d+$/);
  }, TEST_TIMEOUT_MS);

  it('adds a device with its token shown once, edits its tags, rotates its token and deletes it', async () => {
    const { page } = tab;
    await step(page, 'device-admin', async () => {
      await page.getByRole('button', { name: '+ Add device' }).click();
      await page.getByLabel('Name', { exact: true }).fill('spare-1');
      await page.getByLabel('Tags (space or comma separated)').fill('spare, lab');
      await page.getByRole('dialog').getByRole('button', { name: 'Add', exact: true }).click();
      await page.locator('.token-once code.secret').waitFor();
    });
    const token = await page.locator('.token-once code.secret').textContent();
    expect(token).toMatch(/^\S{20,}$/);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('.token-once').count()).toBe(0);
    await step(page, 'device-tags', async () => {
      await page.getByRole('button', { name: 'Edit tags of spare-1' }).click();
      await page.getByLabel('Tags (space or comma separated)').fill('spare rack-7');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('tr[data-device="spare-1"]', { hasText: 'rack-7' }).waitFor();
      await page.getByRole('button', { name: 'Rotate token of spare-1' }).click();
      await page.locator('.token-once code.secret').waitFor();
    });
    expect(await page.locator('.token-once code.secret').textContent()).not.toBe(token);
    await step(page, 'device-delete', async () => {
      await page.getByRole('button', { name: 'Delete spare-1' }).click();
      await page.locator('tr[data-device="spare-1"]').waitFor({ state: 'detached' });
    });
    const left = await c.http<{ items: Array<{ name: string }> }>('GET', '/v1/devices?q=spare', undefined, { authorization: `Bearer ${operator.token}` });
    expect(left.body.items).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it('cancels a long batch', async () => {
    const { page } = tab;
    await step(page, 'cancel', async () => {
      await openRunDialog(page);
      await chooseGroup(page, 'web-fleet');
      await page.locator('p.preview[data-matched="3"]').waitFor();
      await fillCommand(page, 'sleep 120');
      await start(page);
      await waitForRows(page, 3, 'running');
      await page.getByRole('button', { name: '⊘ Cancel' }).click();
      await page.locator('.batch-head h1 [data-status="cancelled"]').waitFor({ timeout: 120_000 });
    });
    expect(await page.locator('table.executions tbody tr[data-status="cancelled"]').count()).toBe(3);
  }, TEST_TIMEOUT_MS);

  it('pauses and resumes a waves batch', async () => {
    const { page } = tab;
    const batchId = await step(page, 'waves', async () => {
      await openRunDialog(page);
      await chooseGroup(page, 'web-fleet');
      await page.locator('p.preview[data-matched="3"]').waitFor();
      await fillCommand(page, 'sleep 2');
      await page.getByRole('radio', { name: 'rolling waves' }).check();
      await page.getByLabel('Wave size (N or N%)').fill('1');
      await page.getByLabel('Pause between waves (s)').fill('1');
      const id = await start(page);
      await page.getByRole('button', { name: '‖ Pause' }).click();
      await page.locator('.batch-head h1 [data-status="paused"]').waitFor({ timeout: 120_000 });
      return id;
    });
    await screenshot(page, 'batch-paused');
    // Paused: the devices not yet started stay queued.
    await new Promise((r) => setTimeout(r, 4000));
    const paused = await c.http<{ batch: { status: string; stats: Record<string, number> } }>('GET', `/v1/batches/${batchId}`);
    expect(paused.body.batch.status).toBe('paused');
    expect(paused.body.batch.stats.succeeded).toBeLessThan(3);
    await step(page, 'resume', async () => {
      await page.getByRole('button', { name: /Resume/ }).click();
      await waitForRows(page, 3, 'succeeded');
      await page.locator('.batch-head h1 [data-status="succeeded"]').waitFor({ timeout: 120_000 });
    });
  }, TEST_TIMEOUT_MS);

  it('creates a schedule and shows its next runs', async () => {
    const { page } = tab;
    await step(page, 'schedule', async () => {
      await page.getByRole('link', { name: 'Schedules' }).click();
      await page.getByRole('button', { name: '+ New schedule' }).click();
      await page.getByLabel('Name', { exact: true }).fill('nightly-web');
      await page.getByLabel('Time (HH:MM)').fill('02:30');
      await page.getByLabel('Timezone', { exact: true }).fill('Europe/Paris');
      await chooseGroup(page, 'web-fleet');
      await fillCommand(page, 'uptime');
      await page.getByRole('button', { name: 'Create schedule' }).click();
      await page.getByRole('heading', { name: 'Schedule nightly-web' }).waitFor();
      await page.locator('[data-next-runs] li').nth(4).waitFor();
    });
    expect(await page.locator('[data-spec]').textContent()).toMatch(/every day at 02:30 \(Europe\/Paris\)/);
    expect(await page.locator('[data-next-runs] li').count()).toBe(5);
    await screenshot(page, 'schedule');
  }, TEST_TIMEOUT_MS);

  it('shows hostile names, tags, commands and outputs as text and runs none of them', async () => {
    const { page, problems } = tab;
    await step(page, 'hostile', async () => {
      await page.getByRole('link', { name: 'Devices' }).click();
      await page.locator('table.devices tbody tr').nth(2).waitFor();
      await page.getByRole('link', { name: 'Batches' }).click();
      await page.locator('table.batches tbody tr').first().waitFor();
      const first = page.locator('table.batches tbody tr a').last();
      await first.click();
      await page.locator('table.executions tbody tr').first().waitFor();
      await page.getByRole('button', { name: `Output of ${HOSTILE}` }).click();
      await page.locator('pre.out.stdout').waitFor();
    });
    expect(await page.locator('pre.out.stdout').textContent()).toContain(HOSTILE);
    expect(await page.locator('.what').first().textContent()).toContain(HOSTILE);
    expect(await page.locator(`tr[data-device="${HOSTILE.replace(/"/g, '\\"')}"] td.name`).textContent()).toBe(HOSTILE);
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.locator('table.devices tbody tr').nth(2).waitFor();
    expect(await page.locator('table.devices').textContent()).toContain(HOSTILE_TAG);
    expect(await page.evaluate(() => (globalThis as unknown as Win).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(problems.filter((p) => !/401|Failed to load resource/.test(p))).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it('gives an auditor no run, cancel or edit control, and signs out', async () => {
    const { page } = tab;
    await step(page, 'auditor', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API token').waitFor();
      await signIn(page, auditor.token);
      await page.locator('table.devices tbody tr').first().waitFor();
    });
    expect(await page.getByRole('button', { name: /Run/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Delete|Tags|Rotate|Add device/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'Batches' }).click();
    await page.locator('table.batches tbody tr a').first().click();
    await page.locator('table.executions tbody tr').first().waitFor();
    expect(await page.getByRole('button', { name: /Cancel|Pause|Resume|Retry/ }).count()).toBe(0);
    await screenshot(page, 'auditor-batch');
    // The audit log shows everyone's writes to an auditor.
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.locator('td', { hasText: 'batch.start' }).first().waitFor();
    expect(await page.locator('tbody tr', { hasText: 'olga' }).count()).toBeGreaterThan(3);
    // The API refuses anyway.
    const refused = await page.evaluate(async () => (await fetch('/v1/devices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' })).status);
    expect(refused).toBe(403);
    await step(page, 'sign-out', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API token').waitFor();
    });
    expect(await page.evaluate(async () => (await fetch('/v1/devices')).status)).toBe(401);
  }, TEST_TIMEOUT_MS);
});
