// A headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the console's
// browser tests; each failing step leaves a screenshot in .tools/screenshots.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve(__dirname, '../../.tools/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Script errors and CSP violations the page reported. */
  problems: string[];
}

export async function openTab(browser: Browser, baseURL: string, viewport = { width: 1280, height: 800 }): Promise<Tab> {
  const context = await browser.newContext({ baseURL, viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('dialog', (d) => void d.accept());
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name.replace(/[^A-Za-z0-9_-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  return file;
}

/** Runs a browser step; on failure saves a screenshot named after it and rethrows. */
export async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const file = await screenshot(page, `failed-${name}`);
    throw new Error(`${name} failed (screenshot ${file}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('API token').fill(token);
  await page.getByLabel('API token').press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * The browser globals that functions run in the page use. The test program has no DOM types, so page
 * functions read `(globalThis as unknown as Win)`; the cast is gone once the function is serialised.
 */
export interface Win {
  document: {
    querySelectorAll(selector: string): { length: number };
    documentElement: { scrollWidth: number };
    activeElement: { textContent: string | null } | null;
  };
  innerWidth: number;
  __marker?: number;
  __pwned?: number;
}
