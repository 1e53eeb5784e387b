// What every end-to-end suite starts from: a test database with the demo data, the real
// server (API and built web app) listening on a free port, Debian's Chromium, and a
// sign-in through the real page.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { generateDemo } from '../../scripts/demo/generator.js';
import { loadDemo } from '../../scripts/demo/load.js';
import { TEST_PASSWORD, testApp, type TestApp } from './app.js';
import { launchChromium } from './browser.js';
import { createTestDatabase, type TestDatabase } from './database.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Screenshots for a person to look at. */
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');

export interface E2eServer {
  db: TestDatabase;
  app: TestApp;
  browser: Browser;
  origin: string;
  close(): Promise<void>;
}

export async function startE2eServer(demo: { seed: number; scale?: number }): Promise<E2eServer> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const db = await createTestDatabase({ geography: true });
  await loadDemo(db.url, generateDemo(demo.seed, demo.scale === undefined ? {} : { scale: demo.scale }));
  const app = await testApp(db.url, { STATIC_DIR: path.join(ROOT, 'web', 'dist') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  // The column copy loaded before the browser asks, as on a server that has been up a while.
  await app.columns.refresh();
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await launchChromium();
  return {
    db, app, browser, origin,
    async close() {
      await browser.close();
      await app.close();
      await db.drop();
    },
  };
}

/** Signs in through the sign-in form and waits for the signed-in header. */
export async function signInPage(page: Page, origin: string, username: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').waitFor();
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's WCAG 2.2 AA violations (every impact, minor included) on the page as it stands. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
  // Evaluated through the DevTools protocol: the app's Content-Security-Policy rightly refuses inline scripts.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

/** axe-core's serious and critical violations only. */
export async function seriousAxeViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
  return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
