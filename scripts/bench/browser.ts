// The browser case of `npm run bench`: how long the map page takes, after a click on a
// filter, to show it (the hexagon tiles for the new filter loaded and drawn, and the
// hour x weekday chart redrawn for it). Debian's Chromium with a software WebGL, driven
// by playwright-core, against the bench's running server and the built web app.
//
// Each run clicks the same sequence of time-of-day and age presets twice: first in a
// fresh session on a server that has not been asked these filters before ("first
// asking"), then again in another fresh session (no browser cache), when the server
// keeps the answers. The clock runs in the page, from the click to the first animation
// frame where the chart shows the new filter and MapLibre has no tile left to load.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { AGE_PRESETS, TIME_PRESETS } from '@lantern/shared';
import { CHROMIUM, launchChromium } from '../../tests/helpers/browser.js';

export interface FilterChangeTimes {
  first: number[];
  again: number[];
}

/** Each step clicks one preset button; every click changes the filters. */
const STEPS: { group: string; label: string }[] = TIME_PRESETS.flatMap((time, i) => [
  { group: 'Time-of-day presets', label: time.label },
  { group: 'Age presets', label: AGE_PRESETS[i % 2]!.label },
]);

async function signIn(page: Page, origin: string, username: string, password: string) {
  await page.goto(`${origin}/`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('[data-map-ready=true]', { timeout: 120_000 });
  await page.waitForFunction(() => {
    const map = (window as unknown as { lanternMap?: { loaded(): boolean; areTilesLoaded(): boolean } }).lanternMap;
    return map?.loaded() && map.areTilesLoaded()
      && document.querySelector('[data-testid=profile-chart-state]')?.getAttribute('data-current') === 'true';
  }, undefined, { timeout: 120_000 });
}

// Runs in the page. Kept as text: the TypeScript loader names functions with a helper
// (__name) that does not exist in the page.
const CLICK_AND_TIME = `async ({ group, label }) => {
  const map = window.lanternMap;
  const button = Array.from(document.querySelectorAll('[role=group][aria-label="' + group + '"] button'))
    .find((candidate) => candidate.textContent.trim() === label);
  if (!button) throw new Error('no button "' + label + '"');
  const tilesBefore = map.getSource('incidents').tiles[0];
  const started = performance.now();
  button.click();
  return new Promise((resolve, reject) => {
    const check = () => {
      const chart = document.querySelector('[data-testid=profile-chart-state]');
      const chartCurrent = chart !== null && chart.getAttribute('data-current') === 'true';
      const tilesChanged = map.getSource('incidents').tiles[0] !== tilesBefore;
      if (chartCurrent && tilesChanged && map.loaded() && map.areTilesLoaded()) resolve(performance.now() - started);
      else if (performance.now() - started > 120000) reject(new Error('"' + label + '" was not shown within 120 s'));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}`;

/** Milliseconds from the click to the map and chart showing the new filter. */
function clickAndTime(page: Page, step: { group: string; label: string }): Promise<number> {
  return page.evaluate(`(${CLICK_AND_TIME})(${JSON.stringify(step)})`) as Promise<number>;
}

/** Null when Debian's Chromium is not installed (the case is then reported as skipped). */
export async function benchFilterChanges(origin: string, username: string, password: string): Promise<FilterChangeTimes | null> {
  if (!existsSync(CHROMIUM)) return null;
  const browser = await launchChromium();
  try {
    const times: FilterChangeTimes = { first: [], again: [] };
    for (const pass of ['first', 'again'] as const) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await signIn(page, origin, username, password);
      for (const step of STEPS) times[pass].push(await clickAndTime(page, step));
      await context.close();
    }
    return times;
  } finally {
    await browser.close();
  }
}
