// The browser case of `npm run bench`: how long the map page takes, after a click on a
// filter, to show it (the hexagon tiles for the new filter loaded and drawn, and the
// hour x weekday chart redrawn for it). Debian's Chromium with a software WebGL, driven
// by playwright-core, against the bench's running server and the built web app.
//
// Each run clicks the same sequence of time-of-day and age presets three times, each in
// a fresh session (no browser cache): first from the unfiltered map, whose preset
// questions nobody has asked but the server answered ahead at start (plugins/warm-up.ts:
// what a meeting opening the map meets); then from a map filtered to Monday-Friday,
// where every click is a question never asked nor warmed; then the first run again, when
// the server keeps every answer. The clocks run in the page (see CLICK_AND_TIME). Headless Chromium
// draws WebGL in software (SwiftShader) on the CPU, so "drawn" includes frames that a
// graphics card draws in a few milliseconds.
import type { Page } from 'playwright-core';
import { AGE_PRESETS, TIME_PRESETS } from '@lantern/shared';
import { CHROMIUM, launchChromium } from '../../tests/helpers/browser.js';
import { debianToolAvailable } from '../lib/local-postgres.mjs';

export const PASSES = ['warmed', 'neverAsked', 'again'] as const;
export type Pass = (typeof PASSES)[number];
export type FilterChangeTimes = Record<Pass, { ready: number[]; drawn: number[] }> & {
  /** Sign-in clicked to the map first drawn (street basemap, hexagons, places) with its chart, in a fresh browser. */
  firstPaint: number[];
};

/** Fresh browsers timed from sign-in to the first map drawn. */
const FIRST_PAINTS = 5;

/** The map's filter (in its URL) that each pass's clicks start from. */
const START: Record<Pass, string> = { warmed: '', neverAsked: '?weekdays=mon,tue,wed,thu,fri', again: '' };

/** Each step clicks one preset button; every click changes the filters. */
const STEPS: { group: string; label: string }[] = TIME_PRESETS.flatMap((time, i) => [
  { group: 'Time-of-day presets', label: time.label },
  { group: 'Age presets', label: AGE_PRESETS[i % 2]!.label },
]);

/** Signs in; returns ms from the click to the map drawn (every source's tiles, the street basemap's too) with its chart. */
async function signIn(page: Page, origin: string, username: string, password: string, search: string): Promise<number> {
  await page.goto(`${origin}/${search}`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  const started = performance.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('[data-map-ready=true]', { timeout: 120_000 });
  await page.waitForFunction(() => {
    const map = (window as unknown as { lanternMap?: { loaded(): boolean; areTilesLoaded(): boolean; isSourceLoaded(id: string): boolean } }).lanternMap;
    return map?.loaded() && map.areTilesLoaded() && map.isSourceLoaded('lantern-basemap')
      && document.querySelector('[data-testid=profile-chart-state]')?.getAttribute('data-current') === 'true';
  }, undefined, { timeout: 120_000, polling: 10 });
  return performance.now() - started;
}

// Runs in the page. Kept as text: the TypeScript loader names functions with a helper
// (__name) that does not exist in the page. Two clocks from the click: "ready" when
// the chart shows the new filter and the new tiles are in the map's source (polled
// every 5 ms), "drawn" when MapLibre next reports itself idle (rendered, nothing to load).
const CLICK_AND_TIME = `async ({ group, label }) => {
  const map = window.lanternMap;
  const button = Array.from(document.querySelectorAll('[role=group][aria-label="' + group + '"] button'))
    .find((candidate) => candidate.textContent.trim() === label);
  if (!button) throw new Error('no button "' + label + '"');
  const tilesBefore = map.getSource('incidents').tiles[0];
  const started = performance.now();
  button.click();
  const ready = await new Promise((resolve, reject) => {
    const check = () => {
      const chart = document.querySelector('[data-testid=profile-chart-state]');
      const chartCurrent = chart !== null && chart.getAttribute('data-current') === 'true';
      const tilesChanged = map.getSource('incidents').tiles[0] !== tilesBefore;
      if (chartCurrent && tilesChanged && map.isSourceLoaded('incidents')) resolve(performance.now() - started);
      else if (performance.now() - started > 120000) reject(new Error('"' + label + '" was not shown within 120 s'));
      else setTimeout(check, 5);
    };
    check();
  });
  await new Promise((resolve) => {
    map.once('idle', resolve);
    map.triggerRepaint();
  });
  return { ready, drawn: performance.now() - started };
}`;

/** Milliseconds from the click to the data in the page, and to the map drawn with it. */
function clickAndTime(page: Page, step: { group: string; label: string }): Promise<{ ready: number; drawn: number }> {
  return page.evaluate(`(${CLICK_AND_TIME})(${JSON.stringify(step)})`) as Promise<{ ready: number; drawn: number }>;
}

/** Null when Debian's Chromium is not installed and cannot be (the case is then reported as skipped). */
export async function benchFilterChanges(origin: string, username: string, password: string): Promise<FilterChangeTimes | null> {
  if (!debianToolAvailable(CHROMIUM, 'chromium', 'the browser case')) return null;
  const browser = await launchChromium();
  try {
    const times: FilterChangeTimes = {
      warmed: { ready: [], drawn: [] }, neverAsked: { ready: [], drawn: [] }, again: { ready: [], drawn: [] }, firstPaint: [],
    };
    // The first of these meets basemap tiles nobody has asked since the server started; the rest, tiles the server keeps.
    for (let i = 0; i < FIRST_PAINTS; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      times.firstPaint.push(await signIn(await context.newPage(), origin, username, password, ''));
      await context.close();
    }
    for (const pass of PASSES) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await signIn(page, origin, username, password, START[pass]);
      if (START[pass] && !page.url().includes(START[pass])) throw new Error(`the map did not keep the filter ${START[pass]}`);
      for (const step of STEPS) {
        const { ready, drawn } = await clickAndTime(page, step);
        times[pass].ready.push(ready);
        times[pass].drawn.push(drawn);
      }
      await context.close();
    }
    return times;
  } finally {
    await browser.close();
  }
}
