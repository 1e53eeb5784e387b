// Lantern on a phone (390 x 844, touch) in real Chromium: nothing is wider than the
// screen, the map fills it and its filters and details open as sheets over it; a police
// officer makes a patrol plan and reads its stops and map; a panel member reads the area
// summary, whose area names never overprint (MapLibre places them, dropping those that
// would collide); axe-core finds no serious or critical violation on either page.
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '@lantern/shared';
import { createUser } from '../helpers/app.js';
import { ARTIFACTS, seriousAxeViolations, signInPage, startE2eServer, type E2eServer } from '../helpers/e2e.js';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer({ seed: 20204, scale: 0.3 });
});

afterAll(async () => {
  await server?.close();
});

async function onPhone(role: UserRole): Promise<{ page: Page; context: BrowserContext }> {
  const context = await server.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await signInPage(page, server.origin, await createUser(server.app, role));
  return { page, context };
}

/** How far the page reaches beyond the screen's width (0: nothing to scroll sideways). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;

describe('on a phone', () => {
  it('the map fills the screen; filters and details open as sheets over it, one at a time', async () => {
    const { page, context } = await onPhone('analyst');
    await page.waitForSelector('[data-map-ready=true]');
    expect(await overflow(page)).toBe(0);
    const map = await box(page, '.map');
    expect(map.width).toBe(390);
    expect(map.height).toBeGreaterThan(600);
    // The desktop's side columns are folded away until asked for.
    await expect(page.locator('#map-filters').isVisible()).resolves.toBe(false);
    await expect(page.locator('#map-details').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    expect((await box(page, 'button:text("Sign out")')).x + (await box(page, 'button:text("Sign out")')).width).toBeLessThanOrEqual(390);

    await page.getByTestId('open-filters').tap();
    await expect(page.getByTestId('open-filters').getAttribute('aria-expanded')).resolves.toBe('true');
    const sheet = await box(page, '#map-filters');
    expect(sheet.width).toBe(390);
    expect(sheet.y).toBeGreaterThan(100); // the top of the map stays in sight
    await page.getByRole('button', { name: 'After school 15-19' }).tap();
    await expect.poll(() => page.evaluate(() => window.location.search)).toMatch(/hours=15-19/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'phone-map-filters.png') });

    // The other sheet replaces it; Escape closes it.
    await page.getByTestId('open-details').tap();
    await expect(page.locator('#map-filters').isVisible()).resolves.toBe(false);
    await page.getByTestId('profile-chart').waitFor();
    expect((await box(page, '[data-testid=profile-chart]')).width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(ARTIFACTS, 'phone-map-details.png') });
    await page.keyboard.press('Escape');
    await expect(page.locator('#map-details').isVisible()).resolves.toBe(false);
    expect(await overflow(page)).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('a police officer makes a patrol plan and reads its stops, times and map', async () => {
    const { page, context } = await onPhone('police');
    await page.getByTestId('view-patrol').tap();
    // No plan yet: the shift's options are open.
    await page.locator('#page-options').waitFor();
    await expect(page.locator('#page-options').isVisible()).resolves.toBe(true);
    await page.getByTestId('patrol-date').fill('2026-10-30');
    await page.getByTestId('patrol-start').fill('22:00');
    await page.getByTestId('patrol-end').fill('04:00');
    await page.getByTestId('patrol-make').tap();
    const places = page.getByTestId('patrol-places').locator('li');
    await places.first().waitFor();
    // The options fold away for the plan: title, map, then the stops with their visit times.
    await expect(page.locator('#page-options').isVisible()).resolves.toBe(false);
    await page.waitForSelector('[data-map-ready=true]');
    expect(await overflow(page)).toBe(0);
    const map = await box(page, '.map-frame');
    expect(map.width).toBeGreaterThan(340);
    expect(map.x + map.width).toBeLessThanOrEqual(390);
    for (const text of await places.allTextContents()) expect(text).toMatch(/Visit 1\d min at: \d\d:\d\d/);
    const stop = await places.first().boundingBox();
    expect(stop!.x + stop!.width).toBeLessThanOrEqual(390);
    await expect(page.getByTestId('patrol-gpx').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'phone-patrol.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The options open again from their button.
    await page.getByTestId('open-options').tap();
    await page.locator('#page-options').waitFor();
    await expect(page.locator('#page-options').isVisible()).resolves.toBe(true);
    await context.close();
  });

  it('a panel member reads the area summary: the table scrolls inside its frame and area names never overprint', async () => {
    const { page, context } = await onPhone('panel');
    await page.getByTestId('summary-table').waitFor();
    await page.waitForSelector('[data-map-ready=true]');
    expect(await overflow(page)).toBe(0);
    expect((await box(page, '.table-scroll')).width).toBeLessThanOrEqual(390);
    // MapLibre's collision detection: labels that would overprint are left out at this zoom.
    await page.waitForTimeout(1000);
    const labels = await page.evaluate(() => {
      const map = (window as unknown as { lanternMap: { queryRenderedFeatures(options: object): unknown[]; getSource(id: string): { serialize(): { data: { features: unknown[] } } } } }).lanternMap;
      return { shown: map.queryRenderedFeatures({ layers: ['area-labels'] }).length, areas: map.getSource('area-labels').serialize().data.features.length };
    });
    expect(labels.shown).toBeGreaterThan(0);
    expect(labels.shown).toBeLessThan(labels.areas);
    await page.screenshot({ path: path.join(ARTIFACTS, 'phone-summary.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
