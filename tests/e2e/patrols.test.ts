// A police user makes a patrol plan in real Chromium, sees the numbered places with
// reasons and visit times, prints the one-page briefing (to PDF, pages as images) and
// downloads the GPX. An analyst makes the OEM meeting pack, prints it and downloads a
// section's CSV.
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
    expect(text).toMatch(/Contains OS data © Crown copyright and database right/);

    // GPX for devices.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('patrol-gpx').click()]);
    const gpx = readFileSync((await download.path())!, 'utf8');
    expect(gpx).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<gpx version="1.1" creator="Lantern"/);
    expect(gpx.match(/<wpt /g)).toHaveLength(count);

    // Saved, and listed to reopen.
    await expect(page.locator('.saved-plans li').first().textContent()).resolves.toMatch(/2026-10-30 22:00-04:00/);
    await context.close();
  });

  it('an analyst makes the OEM meeting pack, prints it page by page and downloads a section as CSV', async () => {
    const username = await createUser(server.app, 'analyst');
    const context = await server.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await signInPage(page, server.origin, username);
    await page.getByTestId('view-meeting').click();
    // The demo data ends on 31 October 2026: the date starts the day after, not today.
    await expect(page.getByTestId('meeting-date').inputValue()).resolves.toBe('2026-11-01');
    await expect(page.getByTestId('meeting-data-to').textContent()).resolves.toMatch(/^Data to 2026-10-31/);
    await expect(page.getByTestId('meeting-age-focus').locator('option').first().textContent()).resolves.toBe("The meeting's own (under 18)");
    await page.getByTestId('meeting-date').fill('2026-11-01');
    await page.getByTestId('meeting-make').click();
    await expect(page.getByTestId('meeting-title').textContent()).resolves.toBe('Operational Exploitation Meeting pack, 2026-11-01');
    for (const id of ['emerging', 'locations', 'people', 'exploitation-areas']) await page.getByTestId(`pack-${id}`).waitFor();
    const people = await page.getByTestId('pack-people').locator('tbody tr').allTextContents();
    expect(people.some((row) => row.startsWith('CSE or CCE, each child once'))).toBe(true);
    await page.waitForTimeout(3000); // three maps settle and take their pictures for print
    await page.screenshot({ path: path.join(ARTIFACTS, 'meeting-pack.png'), fullPage: false });

    await page.emulateMedia({ media: 'print' });
    const pdf = path.join(ARTIFACTS, 'meeting-pack.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    for (const file of readdirSync(ARTIFACTS).filter((name) => /^meeting-pack-\d+\.png$/.test(name))) rmSync(path.join(ARTIFACTS, file));
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(ARTIFACTS, 'meeting-pack')]);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(4); // a section per page at least
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const title of ['Hot spots that are new or intensifying', 'Locations of concern: harm rose or fell most', 'People and episodes by category, under 18', 'Cuckooing and county lines by area']) {
      expect(text).toContain(title);
    }
    expect(text).toMatch(/Printed .* by Test analyst/);
    expect(await page.locator('img.print-map').count()).toBe(3);
    // Every printed map carries the licences' attribution under it.
    expect(text.match(/Contains OS data © Crown copyright and database right/g)?.length ?? 0).toBeGreaterThanOrEqual(3);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('pack-people').getByRole('link', { name: 'CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toMatch(/^"Operational Exploitation Meeting pack, 2026-11-01"\r\n/);
    expect(csv).toContain('Category,Episodes,People,Episodes before,People before,Change in episodes');
    await context.close();
  });

  it('a user makes an API token for desktop GIS, reads /ogc with it, and revokes it', async () => {
    const username = await createUser(server.app, 'police');
    const context = await server.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, server.origin, username);
    await page.getByTestId('tokens-open').click();
    await page.getByTestId('token-name').fill('QGIS in the station');
    await page.getByTestId('token-make').click();
    const token = /lt_[\w-]+/.exec((await page.getByTestId('token-made').textContent())!)![0];
    // The token's expiry is shown with it: 90 days from today by default.
    const expiry = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    await expect(page.getByTestId('token-expires').first().textContent()).resolves.toMatch(new RegExp(`QGIS in the station .* expires ${expiry}`));
    await page.screenshot({ path: path.join(ARTIFACTS, 'api-tokens.png') });
    const read = await fetch(`${server.origin}/ogc/collections`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect((await read.json()).collections.map((c: { id: string }) => c.id)).toContain('incidents');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('.tokens-panel li', { hasText: 'QGIS in the station' }).getByRole('button', { name: 'Revoke' }).click();
    await page.locator('.tokens-panel li', { hasText: 'QGIS in the station' }).waitFor({ state: 'detached' });
    expect((await fetch(`${server.origin}/ogc/collections`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await context.close();
  });
});
