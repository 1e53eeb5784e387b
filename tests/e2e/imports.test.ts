// An analyst imports a places file through the page: upload progress, the report with
// its rejected row, the place on the map with its kind, the header saying demo and
// imported data are both loaded, and a rollback from the batch list.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANTED_HOTSPOTS } from '../../scripts/demo/generator.js';
import { createUser } from '../helpers/app.js';
import { ARTIFACTS, signInPage, startE2eServer, type E2eServer } from '../helpers/e2e.js';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer({ seed: 20201, scale: 0.3 });
});

afterAll(async () => {
  await server?.close();
});

describe('imports in the browser', () => {
  it('an analyst uploads places, reads the report, finds the place on the map and rolls the batch back', async () => {
    const [lon, lat] = PLANTED_HOTSPOTS[0]!.centre;
    const d = 0.0015;
    const places = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { ref: 'e2e-1', name: 'Imported Rec Ground', type: 'Park and Recreation Ground' },
          geometry: { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] } },
        { type: 'Feature', properties: { ref: 'e2e-2', name: 'Imported takeaway', type: 'fast_food' }, geometry: { type: 'Point', coordinates: [lon + 0.003, lat] } },
        { type: 'Feature', properties: { ref: 'e2e-3', name: 'Swapped', type: 'fast_food' }, geometry: { type: 'Point', coordinates: [lat, lon] } },
      ],
    };
    const { db, app, browser, origin } = server;
    const username = await createUser(app, 'analyst');
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signInPage(page, origin, username);
    await expect(page.getByTestId('demo-badge').textContent()).resolves.toBe('Demo data');

    await page.getByTestId('view-imports').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'e2e-places.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(places)) });
    await page.getByTestId('import-submit').click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    const text = await report.textContent();
    expect(text).toMatch(/Imported as batch \d+/);
    expect(text).toMatch(/Locations of concern GeoJSON.*\(recognised\)/);
    expect(text).toMatch(/Added2/);
    expect(text).toMatch(/Rejected1/);
    const rejectRows = await page.getByTestId('import-rejects').locator('tbody tr').allTextContents();
    expect(rejectRows).toEqual([expect.stringMatching(/^3geometryswapped coordinates/)]);
    await expect(page.getByTestId('demo-badge').textContent()).resolves.toBe('Demo + imported data');
    await page.screenshot({ path: path.join(ARTIFACTS, 'imports-report.png'), fullPage: true });

    const { rows } = await db.pool.query<{ id: number; kind: string }>(
      `SELECT id::int, kind FROM locations_of_concern WHERE source = 'e2e-places' ORDER BY source_ref`);
    expect(rows.map((row) => row.kind)).toEqual(['park', 'takeaway']);
    await page.goto(`${origin}/?loc=${rows[0]!.id}`);
    await page.waitForSelector('[data-map-ready=true]');
    await page.getByText('Imported Rec Ground').first().waitFor();
    await page.waitForTimeout(2500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-imported-place.png') });

    await page.goto(`${origin}/#imports`);
    const batches = page.getByTestId('import-batches');
    await batches.waitFor();
    await page.getByRole('button', { name: /^Roll back batch/ }).first().click();
    await page.getByText(/rolled back: 2 rows removed/).waitFor();
    // The batch list reloads after the message is shown: wait for it rather than read it once.
    await batches.locator('tbody tr').first().filter({ hasText: /rolled back/ }).waitFor();
    const left = await db.pool.query(`SELECT count(*)::int AS n FROM locations_of_concern WHERE source = 'e2e-places'`);
    expect(left.rows[0].n).toBe(0);
    await context.close();
  });

  it('an analyst keeps a whole force file whole, and the map counts its rows outside the district only when asked', async () => {
    const [lon, lat] = PLANTED_HOTSPOTS[0]!.centre;
    const row = (id: string, x: number, y: number) =>
      `${id},2025-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,${x},${y},On or near a street,E01014370,Somewhere 001A,Robbery,Under investigation,`;
    const file = [
      'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context',
      row('force-1', lon, lat), row('force-2', -2.59, 51.45), row('force-3', -2.591, 51.451),
    ].join('\n');
    const { app, browser, origin } = server;
    const username = await createUser(app, 'analyst');
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, origin, username);
    // No rows outside the district yet: the map does not offer the choice.
    await page.getByTestId('profile-chart-episodes').waitFor();
    expect(await page.getByTestId('extent-all').count()).toBe(0);

    await page.getByTestId('view-imports').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'force.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByTestId('import-keep-outside').check();
    await page.getByTestId('import-submit').click();
    const text = await page.getByTestId('import-report').textContent();
    expect(text).toMatch(/Added3/);
    expect(text).toMatch(/Kept outside the district2/);

    await page.goto(`${origin}/?from=2025-01-01&to=2025-01-31&categories=robbery`);
    const episodes = async () => Number((await page.getByTestId('profile-chart-episodes').textContent())!.replace(/\D/g, ''));
    await page.getByTestId('profile-chart-episodes').waitFor();
    const district = await episodes();
    await page.getByTestId('extent-all').click();
    await expect.poll(episodes).toBe(district + 2);
    expect(page.url()).toContain('extent=all');
    await page.getByTestId('extent-district').click();
    await expect.poll(episodes).toBe(district);
    await context.close();
  });
});
