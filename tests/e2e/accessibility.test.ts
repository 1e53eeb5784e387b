// axe-core on every page of every role at both sizes (1440 x 900 and a 390 x 844 phone):
// no WCAG 2.2 AA violation and no best-practice one, of any impact (issue 29 item 9). The
// map's sheets are checked open on the phone, and the analyses' panels opened on the map.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '@lantern/shared';
import { createUser } from '../helpers/app.js';
import { axeViolations, signInPage, startE2eServer, type E2eServer } from '../helpers/e2e.js';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer({ seed: 20205, scale: 0.2 });
});

afterAll(async () => {
  await server?.close();
});

const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, isMobile: false, hasTouch: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
] as const;

/** Each role's views: the hash that opens it and what to wait for before checking. */
const VIEWS: Record<Exclude<UserRole, 'admin'> | 'admin', { view: string; ready: string }[]> = {
  analyst: [
    { view: '', ready: '[data-map-ready=true]' }, { view: '#summary', ready: '[data-testid=summary-table]' },
    { view: '#patrol', ready: '#page-options' }, { view: '#meeting', ready: '#page-options' }, { view: '#imports', ready: '.imports-page form, .imports-page' },
  ],
  police: [{ view: '', ready: '[data-map-ready=true]' }, { view: '#patrol', ready: '#page-options' }],
  panel: [{ view: '', ready: '[data-testid=summary-table]' }],
  admin: [{ view: '', ready: '[data-testid=users-table]' }],
};

async function check(page: Page, label: string) {
  expect(await axeViolations(page), label).toEqual([]);
}

describe('accessibility', () => {
  it('the sign-in page has no violation at either size', async () => {
    for (const size of SIZES) {
      const context = await server.browser.newContext({ viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch });
      const page = await context.newPage();
      await page.goto(`${server.origin}/`);
      await page.getByLabel('User name').waitFor();
      await check(page, `sign-in ${size.name}`);
      await context.close();
    }
  });

  for (const role of Object.keys(VIEWS) as (keyof typeof VIEWS)[]) {
    it(`every ${role} page has no violation at either size`, async () => {
      const username = await createUser(server.app, role);
      for (const size of SIZES) {
        const context = await server.browser.newContext({ viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch });
        const page = await context.newPage();
        await signInPage(page, server.origin, username);
        for (const { view, ready } of VIEWS[role]) {
          if (view) {
            await page.goto(`${server.origin}/${view}`);
            await page.reload();
          }
          await page.locator(ready).first().waitFor({ state: 'attached', timeout: 30_000 });
          await check(page, `${role} ${view || 'home'} ${size.name}`);
          if (!view && (role === 'analyst' || role === 'police')) {
            // The map's panels opened: on a phone its two sheets, on a desktop the analyses.
            if (size.name === 'phone') {
              for (const sheet of ['open-filters', 'open-details']) {
                await page.getByTestId(sheet).tap();
                await check(page, `${role} map, ${sheet} ${size.name}`);
              }
              await page.keyboard.press('Escape');
            } else {
              await page.getByTestId('near-repeat').locator('summary').click();
              if (role === 'analyst') await page.getByTestId('peer-groups').locator('summary').click();
              await check(page, `${role} map, analyses open ${size.name}`);
            }
          }
        }
        await context.close();
      }
    });
  }
});

describe('keyboard focus', () => {
  it('is visible on every control the keyboard reaches on the map page', async () => {
    const context = await server.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, server.origin, await createUser(server.app, 'analyst'));
    await page.waitForSelector('[data-map-ready=true]');
    const unmarked: string[] = [];
    for (let presses = 0; presses < 120; presses++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return null;
        const style = getComputedStyle(element);
        const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        return { outlined, name: `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} ${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 30)}` };
      });
      if (focus && !focus.outlined) unmarked.push(focus.name);
    }
    expect(unmarked).toEqual([]);
    await context.close();
  });
});
