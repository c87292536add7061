// The interactive reference at /v1/docs, rendered by a real headless Chromium against the API on a
// real port: served without a token from the package's own files, no inline script, every request
// to the API's origin only, every operation listed, and a tried call asks for the bearer token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../src/api';
import { createLogger } from '../../src/logger';
import { launchChromium, screenshot } from '../helpers/browser';
import { startHarness, type Harness, type Loose } from './harness';
import { TEST_ADMIN_TOKEN as ADMIN_TOKEN } from '../helpers/config';

let h: Harness;
let api: RunningApi;
let browser: Browser;
beforeAll(async () => {
  h = await startHarness();
  api = await startApi({ db: h.db.handle, temporal: h.client, config: h.config, logger: createLogger('t', 'silent'), port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await h?.close();
});

/** Runs `steps` on a fresh page; on failure a screenshot is kept under .tools/screenshots. */
async function onPage(name: string, steps: (page: Page, requests: string[], problems: string[]) => Promise<void>): Promise<void> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  try {
    await steps(page, requests, problems);
    await screenshot(page, name);
  } catch (err) {
    await screenshot(page, `${name}-failed`).catch(() => undefined);
    throw err;
  } finally {
    await page.close();
  }
}

describe('GET /v1/docs', () => {
  it('is an HTML page without inline script, with a same-origin script policy, needing no token', async () => {
    const res = await fetch(`${api.url}/v1/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/v1\/docs\//);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/https?:\/\//);
    for (const src of [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])) {
      const asset = await fetch(`${api.url}${src}`);
      expect(asset.status, src).toBe(200);
    }
  });

  it('renders every operation in Chromium, loads nothing from elsewhere, and asks for the bearer token to try a call', async () => {
    const doc = (await h.json('GET', '/v1/openapi.json')).body as Loose;
    const operationIds: string[] = Object.values(doc.paths).flatMap((ops: Loose) => Object.values(ops).map((op: Loose) => op.operationId as string));
    await onPage('reference', async (page, requests, problems) => {
      await page.goto(`${api.url}/v1/docs`);
      await page.getByText('Flotilla API', { exact: false }).first().waitFor({ timeout: 30_000 });
      const createBatch = page.locator('#operations-batches-createBatch');
      await createBatch.waitFor();
      expect(await createBatch.textContent()).toContain(doc.paths['/v1/batches'].post.summary);
      const shown = await page.locator('.opblock-summary-operation-id').allTextContents();
      expect(shown.map((s) => s.trim()).sort()).toEqual([...operationIds].sort());

      // Trying an authenticated call: the lock opens the bearer dialog; with the token the call answers.
      const me = page.locator('#operations-users-getMe');
      await me.locator('.opblock-summary-control').click();
      await me.locator('.authorization__btn').click();
      const dialog = page.locator('.modal-ux');
      await expect.poll(() => dialog.textContent()).toContain('bearer');
      await dialog.locator('input').fill(ADMIN_TOKEN);
      await dialog.locator('button.authorize').click();
      await dialog.locator('button.btn-done').click();
      await me.locator('.try-out__btn').click();
      await me.locator('button.execute').click();
      const status = me.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor();
      expect((await status.textContent())?.trim()).toBe('200');
      expect(await me.locator('.live-responses-table .microlight').first().textContent()).toContain('"role": "admin"');

      expect(requests.length).toBeGreaterThan(0);
      expect(requests.filter((url) => !url.startsWith(`${api.url}/`))).toEqual([]);
      expect(problems).toEqual([]);
    });
  });
});
