// The batch page's Outcomes section in a real browser on the real stack: devices that answer two
// different outputs show as two groups with their counts, and picking one narrows the device table to
// exactly its devices (then "clear" shows them all again).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureConsoleBuilt } from '../../src/console/build';
import { startCluster, type Cluster, type Device } from '../helpers/cluster';
import { launchBrowser, openTab, screenshot, signIn, step, type Tab } from './browser';

const DEVICES = 5;
/** Devices 0, 2 and 4 answer A, devices 1 and 3 answer B. */
const answerOf = (i: number): 'A' | 'B' => (i % 2 === 0 ? 'A' : 'B');

let c: Cluster;
let browser: Browser;
let devices: Device[];
let tab: Tab;

beforeAll(async () => {
  await ensureConsoleBuilt();
  c = await startCluster(inject('temporalAddress'));
  devices = [];
  for (let i = 0; i < DEVICES; i++) devices.push(await c.addDevice(`grp-${i}`, ['grp']));
  await Promise.all(devices.map((d, i) => c.startAgent(d, undefined, [], { ANSWER: answerOf(i) })));
  browser = await launchBrowser();
  tab = await openTab(browser, c.apiUrl);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await c?.stop();
});

describe('batch page outcomes', () => {
  it('shows the groups with their counts and a group opens exactly its devices', async () => {
    const { page } = tab;
    const batchId = await c.startBatch({ targets: { tags: ['grp'] }, action: { type: 'command', command: 'echo "version   $ANSWER"', shell: 'sh', timeoutSec: 60 } });
    const done = await c.waitForBatch(batchId, 180_000);
    expect(done.batch.stats.succeeded).toBe(DEVICES);
    await signIn(page, c.adminToken);
    // The sign-in page's own session check answers 401; from here on the page must report nothing.
    tab.problems.length = 0;
    await page.goto(`/#/batches/${batchId}`);
    const groups = page.getByRole('list', { name: 'outcome groups' });
    const groupA = groups.getByRole('button', { name: /version A/ });
    const groupB = groups.getByRole('button', { name: /version B/ });
    await step(page, 'outcomes-listed', async () => {
      await groupB.waitFor({ timeout: 60_000 });
      await expect.poll(() => groups.getByRole('listitem').count()).toBe(2);
      expect(await groupA.locator('[data-group-count]').textContent()).toBe('3');
      expect(await groupB.locator('[data-group-count]').textContent()).toBe('2');
      // Status as a word, the exit code, and the first line of the output (white space folded by default).
      expect(await groupB.textContent()).toMatch(/succeeded.*exit 0.*version +B/);
      expect(await page.locator('table.executions tbody tr').count()).toBe(DEVICES);
    });
    const tableNames = async (): Promise<string[]> => (await page.locator('table.executions tbody td.name').allTextContents()).sort();
    await step(page, 'group-opens-its-devices', async () => {
      await groupB.click();
      await expect.poll(tableNames).toEqual(['grp-1', 'grp-3']);
      await page.getByText(/showing group “succeeded 0: version +B”/).waitFor();
      await screenshot(page, 'outcomes-group-b');
      await groupA.focus();
      await page.keyboard.press('Enter');
      await expect.poll(tableNames).toEqual(['grp-0', 'grp-2', 'grp-4']);
    });
    await step(page, 'compare-exactly-and-search', async () => {
      await page.getByRole('button', { name: 'clear' }).click();
      await expect.poll(tableNames).toHaveLength(DEVICES);
      // Compared exactly, the outputs still differ only by their answer: two groups.
      await page.getByLabel('Compare outputs').selectOption('none');
      await expect.poll(() => groups.getByRole('listitem').count()).toBe(2);
      await page.getByLabel('Search outputs').fill('version   B');
      await page.getByLabel('Search outputs').press('Enter');
      await expect.poll(tableNames).toEqual(['grp-1', 'grp-3']);
    });
    expect(tab.problems).toEqual([]);
  }, 300_000);
});
