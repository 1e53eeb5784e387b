// A police user makes a patrol plan in real Chromium, sees the numbered places with
// reasons and visit times, prints the one-page briefing (to PDF, pages as images) and
// downloads the GPX.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../helpers/app.js';
import { ARTIFACTS, signInPage, startE2eServer, type E2eServer } from '../helpers/e2e.js';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer({ seed: 20203, scale: 0.3 });
});

afterAll(async () => {
  await server?.close();
});

describe('patrol plans in the browser', () => {
  it('a police user makes a plan for a Friday night, prints the briefing and downloads the GPX', async () => {
    const username = await createUser(server.app, 'police');
    const context = await server.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await signInPage(page, server.origin, username);
    await page.getByTestId('view-patrol').click();
    await page.getByTestId('patrol-date').fill('2026-10-30');
    await page.getByTestId('patrol-start').fill('22:00');
    await page.getByTestId('patrol-end').fill('04:00');
    await page.getByTestId('patrol-make').click();
    const places = page.getByTestId('patrol-places').locator('li');
    await places.first().waitFor();
    const count = await places.count();
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(5);
    const texts = await places.allTextContents();
    for (const text of texts) {
      expect(text).toMatch(/22:00-04:00 on Friday nights into Saturday in the last 12 weeks/);
      expect(text).toMatch(/Visit 1\d min at: \d\d:\d\d/);
      expect(text).not.toMatch(/under-18/);
    }
    await expect(page.getByTestId('patrol-subtitle').textContent()).resolves.toMatch(/Friday,? 30 October 2026, 22:00-04:00 \(6 h 0 min\)/);
    await page.waitForSelector('[data-map-ready=true]');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'patrol-plan.png') });

    // The one-page briefing.
    await page.emulateMedia({ media: 'print' });
    const pdf = path.join(ARTIFACTS, 'patrol-briefing.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    for (const file of readdirSync(ARTIFACTS).filter((name) => name.startsWith('patrol-briefing-'))) rmSync(path.join(ARTIFACTS, file));
    execFileSync('pdftoppm', ['-png', '-r', '70', pdf, path.join(ARTIFACTS, 'patrol-briefing')]);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/Patrol briefing #\d+/);
    expect(text).toMatch(/Made .* by Test police/);
    expect(text).not.toMatch(/Make plan|Saved plans/);

    // GPX for devices.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('patrol-gpx').click()]);
    const gpx = readFileSync((await download.path())!, 'utf8');
    expect(gpx).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<gpx version="1.1" creator="Lantern"/);
    expect(gpx.match(/<wpt /g)).toHaveLength(count);

    // Saved, and listed to reopen.
    await expect(page.locator('.saved-plans li').first().textContent()).resolves.toMatch(/2026-10-30 22:00-04:00/);
    await context.close();
  });
});
