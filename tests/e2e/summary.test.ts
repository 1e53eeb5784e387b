// The area summary in real Chromium: a panel member walks it by keyboard only (choose a
// level, sort, download the CSV), sees suppression on screen, in the CSV and in the
// printed A4 report (printed to PDF and turned into page images with pdftoppm), and
// never receives an incident's coordinates; axe-core finds no serious or critical
// accessibility violation; an analyst previews what the panel will see.
import { execFileSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '@lantern/shared';
import { createUser } from '../helpers/app.js';
import { ARTIFACTS, seriousAxeViolations, signInPage, startE2eServer, type E2eServer } from '../helpers/e2e.js';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer({ seed: 20202, scale: 0.3 });
});

afterAll(async () => {
  await server?.close();
});

async function open(role: UserRole) {
  const username = await createUser(server.app, role);
  const context = await server.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const responses: { url: string; body: string }[] = [];
  page.on('response', async (response) => {
    if (!response.url().includes('/api/')) return;
    try {
      responses.push({ url: response.url(), body: (await response.body()).toString('utf8') });
    } catch {
      // a response whose body is gone (navigation) carries nothing to check
    }
  });
  await signInPage(page, server.origin, username);
  if (role === 'analyst') await page.getByTestId('view-summary').click();
  await page.getByTestId('summary-table').waitFor();
  await page.waitForSelector('[data-map-ready=true]');
  return { page, responses, username };
}

/** Presses Tab until the focused element matches, as a keyboard user would; fails after 90. */
async function tabTo(page: Page, selector: string) {
  for (let presses = 0; presses < 90; presses++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${selector} cannot be reached with Tab`);
}

/** The table's count cells (not rates, shares or changes). */
const countCells = (page: Page) => page.getByTestId('summary-table').locator('tbody td[data-count]').allTextContents();

describe('area summary', () => {
  it('a panel member chooses a level, sorts and downloads the CSV with the keyboard alone, with disclosure control throughout', async () => {
    const { page, responses } = await open('panel');
    const firstRows = await page.getByTestId('summary-table').locator('tbody tr').count();

    // Choose another geography by typing its name into the focused list (type-ahead).
    await tabTo(page, '[data-testid=summary-level]');
    const before = await page.getByTestId('summary-level').inputValue();
    const labels = await page.getByTestId('summary-level').locator('option').allTextContents();
    const values = await page.getByTestId('summary-level').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    const other = labels[values.findIndex((value) => value !== before)]!;
    await page.keyboard.type(other);
    await expect.poll(() => page.getByTestId('summary-level').inputValue()).not.toBe(before);
    await expect.poll(() => page.getByTestId('summary-table').locator('tbody tr').count()).not.toBe(firstRows);
    const level = await page.getByTestId('summary-level').inputValue();
    expect((await page.locator('#summary-title').textContent())?.toLowerCase()).toContain(level);

    // Sort by episodes, largest first, from the header button.
    await tabTo(page, 'th button[data-sort=episodes]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('th[aria-sort=descending]').textContent()).toContain('Episodes');

    // Disclosure control on screen: no count of 1-4.
    const cells = await countCells(page);
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.filter((text) => /^[1-4]$/.test(text))).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'summary-panel.png'), fullPage: true });

    // The CSV, from the keyboard.
    await tabTo(page, '[data-testid=summary-csv]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^lantern-\w+-summary-.*\.csv$/);
    expect(csv).toMatch(/^Lantern area summary\r\n/);
    expect(csv).toMatch(/\r\nSuppression,.*GSS symbol: confidential/);
    expect(csv).toMatch(/\r\nSuppression,.*Counts are perturbed/);
    // No count column holds 1-4 (residents, rates, shares and changes are not counts).
    const records = parse(csv.slice(csv.indexOf('\r\n\r\n') + 4)) as string[][];
    const counts = records[0]!.flatMap((name, index) => (/Residents|per 1,000|%|Area|Change/i.test(name) ? [] : [index]));
    expect(counts.length).toBeGreaterThan(20);
    expect(records.slice(1).flatMap((record) => counts.filter((index) => /^[1-4]$/.test(record[index]!)).map((index) => `${record[1]}: ${records[0]![index]}`))).toEqual([]);

    // Nothing finer than an area on the wire: no points, no coordinates but the areas' boundaries.
    expect(responses.length).toBeGreaterThan(3);
    for (const { url, body } of responses) {
      expect(url).not.toMatch(/\/api\/(tiles\/incidents|locations|profile|hotspots|exports)/);
      expect(body, url).not.toMatch(/"Point"|"lon"|"lat"|"longitude"|"latitude"/);
      if (!/\/api\/areas\?level=/.test(url)) expect(body, url).not.toMatch(/"coordinates"/);
    }
    await page.context().close();
  });

  it('prints an A4 report with the title, period, map, table, notes, date and user, and disclosure control on paper', async () => {
    const { page, username } = await open('panel');
    await page.getByLabel('Compare with').selectOption('last_year');
    await page.getByRole('radio', { name: 'Change in episodes' }).check();
    await expect.poll(() => page.getByTestId('summary-legend').textContent()).toMatch(/Change in episodes/);
    await page.waitForTimeout(2000); // the map settles and its picture for print is taken
    await page.emulateMedia({ media: 'print' });
    // What goes to paper: the same protected counts, and none of 1-4.
    const printed = await countCells(page);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.filter((text) => /^[1-4]$/.test(text))).toEqual([]);
    expect(await page.getByTestId('summary-csv').isVisible()).toBe(false);
    const pdf = path.join(ARTIFACTS, 'summary-report.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    for (const file of readdirSync(ARTIFACTS).filter((name) => name.startsWith('summary-report-'))) rmSync(path.join(ARTIFACTS, file));
    execFileSync('pdftoppm', ['-png', '-r', '70', pdf, path.join(ARTIFACTS, 'summary-report')]);
    const pages = readdirSync(ARTIFACTS).filter((name) => /^summary-report-\d+\.png$/.test(name));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:.*\(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/Area summary: /);
    expect(text).toMatch(/compared with .* \(same period last year\)/);
    expect(text).toMatch(/District total/);
    expect(text).toMatch(/"people" are distinct pseudonymous persons/);
    expect(text).toMatch(new RegExp(`Generated .* by .*\\(panel\\)`));
    expect(text).toMatch(/Demo data: generated by Lantern/);
    expect(text).toMatch(/Counts are perturbed/);
    expect(text).not.toContain('Download CSV'); // the controls are not printed
    expect(text).toMatch(/Contains OS data © Crown copyright and database right/);
    expect(username).toBeTruthy();
    // The map printed as a picture of the choropleth, not a blank canvas.
    const picture = await page.locator('img.print-map').getAttribute('src');
    expect(picture?.length ?? 0).toBeGreaterThan(20_000);

    // The ward report, the meetings' usual level, on at most two A4 pages, every ward named.
    await page.getByTestId('summary-level').selectOption('ward');
    await expect.poll(() => page.getByTestId('summary-table').locator('tbody th[scope=row]').count()).toBeGreaterThan(20);
    await page.waitForTimeout(2500); // the map settles and its picture for print is taken
    const wards = (await page.getByTestId('summary-table').locator('tbody th[scope=row]').allTextContents()).filter((name) => name !== 'District total');
    await page.emulateMedia({ media: 'print' });
    const wardPdf = path.join(ARTIFACTS, 'summary-report-wards.pdf');
    await page.pdf({ path: wardPdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [wardPdf], { encoding: 'utf8' }))![1])).toBeLessThanOrEqual(2);
    // Compared without spaces: a long name wraps in its narrow printed column.
    const wardText = execFileSync('pdftotext', ['-raw', wardPdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(wards.filter((name) => !wardText.includes(name.replace(/\s+/g, '')))).toEqual([]);
    await page.context().close();
  });

  it('shows the panel same or new people under disclosure control, and passes axe-core with no serious or critical violations', async () => {
    const { page } = await open('panel');
    // Same or new people over the trend's 12 months, perturbed for the panel.
    await page.getByTestId('people-flow').waitFor();
    await expect(page.getByTestId('people-flow').locator('.hint').first().textContent())
      .resolves.toMatch(/^[\d,]+ new, [\d,]+ returning and [\d,]+ continuing across the 12 months \(perturbed counts\)\.$/);
    const cells = await page.getByTestId('people-flow').locator('tbody td').allTextContents();
    expect(cells).toHaveLength(48);
    expect(cells.filter((text) => /^[1-4]$/.test(text))).toEqual([]);
    // Repeat people are analysts' only.
    expect(await page.getByTestId('people-repeats').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.context().close();
  });

  it('an analyst sees exact counts and previews what a panel member will see', async () => {
    const { page } = await open('analyst');
    await page.getByTestId('people-repeats').waitFor();
    await expect(page.getByTestId('people-repeats').locator('tbody th').first().textContent()).resolves.toBe('All roles');
    await expect(page.getByTestId('people-repeats').locator('.hint').textContent()).resolves.toMatch(/^[\d,]+ of [\d,]+ people are named by more than one incident; [\d,]+ are named as a victim and as a suspect/);
    await page.getByRole('button', { name: 'Under 18' }).click();
    await expect.poll(() => page.getByTestId('summary-subtitle').textContent()).toMatch(/Ages: 0-9, 10-14, 15-17/);
    await expect.poll(async () => (await countCells(page)).some((text) => /^[1-4]$/.test(text))).toBe(true);
    expect(await page.getByTestId('disclosure-rule').textContent()).toMatch(/Exact counts/);
    await page.getByTestId('summary-preview').check();
    await expect.poll(() => page.getByTestId('disclosure-rule').textContent()).toMatch(/perturbed/);
    const cells = await countCells(page);
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.filter((text) => /^[1-4]$/.test(text))).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'summary-analyst-preview.png') });
    await page.context().close();
  });
});
