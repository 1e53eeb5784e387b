// The map page in real Chromium against the real server and a real PostGIS holding
// the demo data. Screenshots land in tests/artifacts/ for a person to look at.
import type { LocationCollection } from '@lantern/shared';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../helpers/app.js';
import { ARTIFACTS, signInPage, startE2eServer, type E2eServer } from '../helpers/e2e.js';

let server: E2eServer;
let page: Page;
const requests: string[] = [];
const blocked: string[] = [];
const assetEncodings: string[] = [];
const jsonEncodings: string[] = [];

async function chartTotal(testId = 'profile-chart'): Promise<number> {
  const total = await page.getByTestId(testId).getAttribute('data-total');
  return Number(total);
}

/** Share of map pixels that are neither the background nor the district fill. */
async function paintedShare(): Promise<number> {
  return page.evaluate(() => {
    const source = document.querySelector<HTMLCanvasElement>('.maplibregl-canvas')!;
    const canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(source, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      const background = Math.abs(r - 242) < 6 && Math.abs(g - 240) < 6 && Math.abs(b - 235) < 6; // the basemap's paper
      const white = r > 245 && g > 245 && b > 245;
      if (!background && !white) painted++;
    }
    return painted / (data.length / 4);
  });
}

async function waitForMap() {
  await page.waitForSelector('[data-map-ready=true]');
  await page.waitForFunction(() => {
    const map = (window as unknown as { lanternMap?: { areTilesLoaded(): boolean; loaded(): boolean } }).lanternMap;
    return map?.loaded() && map.areTilesLoaded();
  });
  await page.waitForFunction(() => document.querySelector('[data-testid=profile-chart]')?.getAttribute('data-total') !== '');
  await page.waitForTimeout(500);
}

/** Moves the pointer over the map, spiralling out from its centre, until the tooltip matches; its text. */
async function hoverUntil(wanted: RegExp): Promise<string> {
  const box = (await page.getByTestId('map').boundingBox())!;
  let text = '';
  for (let step = 0; step < 80 && !wanted.test(text); step++) {
    const angle = step * 2.4;
    const radius = 6 * Math.sqrt(step) * 4;
    await page.mouse.move(box.x + box.width / 2 + radius * Math.cos(angle), box.y + box.height / 2 + radius * Math.sin(angle));
    text = await page.evaluate(() => {
      const tooltip = document.querySelector<HTMLElement>('.map-tooltip');
      return tooltip && !tooltip.hidden ? tooltip.innerText : '';
    });
  }
  return text;
}

beforeAll(async () => {
  server = await startE2eServer({ seed: 20201 });
  page = await server.browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('request', (request) => requests.push(request.url()));
  page.on('response', (response) => {
    if (/\/assets\/.*\.(js|css)$/.test(response.url())) assetEncodings.push(`${response.headers()['content-encoding'] ?? 'none'} ${response.url()}`);
    if (response.url().includes('/api/locations')) jsonEncodings.push(response.headers()['content-encoding'] ?? 'none');
  });
  // As on a machine with no network: every request leaving the machine is refused (and kept, to fail the suite).
  await page.route((url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost', async (route) => {
    blocked.push(route.request().url());
    await route.abort('internetdisconnected');
  });
});

afterAll(async () => {
  await server?.close();
});

describe('the map page', () => {
  it('asks for sign-in, then shows the district, hexagons, places, chart and the demo badge', async () => {
    const username = await createUser(server.app, 'analyst');
    await signInPage(page, server.origin, username);
    await waitForMap();
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Analyst');
    await expect(page.getByTestId('demo-badge').textContent()).resolves.toBe('Demo data');
    expect(await chartTotal()).toBeGreaterThan(40_000);
    expect(await page.getByTestId('density-legend').locator('li').count()).toBe(5);
    // The hexagon key stays in view on the map itself, with the side legend's classes.
    expect(await page.getByTestId('map-key').locator('li').allTextContents()).toEqual(await page.getByTestId('density-legend').locator('li').allTextContents());
    expect(await page.getByTestId('map-key').isVisible()).toBe(true);
    expect(await paintedShare()).toBeGreaterThan(0.05);
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-default.png') });
  });

  it('switches to night-time economy and under 25: URL, tiles, map and chart change', async () => {
    // The first view settled, so every tile asked after the clicks is the new filter's.
    await waitForMap();
    const before = await chartTotal();
    const tileRequestsBefore = requests.length;
    await page.getByRole('button', { name: 'Night-time economy 22-04' }).click();
    await page.getByRole('button', { name: 'Under 25' }).click();
    await page.waitForFunction(() => window.location.search.includes('ages='));
    expect(new URL(page.url()).searchParams.get('hours')).toBe('22-4');
    expect(new URL(page.url()).searchParams.get('ages')).toBe('0-9,10-14,15-17,18-24');
    await page.waitForFunction((previous) =>
      Number(document.querySelector('[data-testid=profile-chart]')?.getAttribute('data-total')) !== previous, before);
    await waitForMap();
    const after = await chartTotal();
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(before / 4);
    const newTiles = requests.slice(tileRequestsBefore).filter((url) => url.includes('/api/tiles/incidents/'));
    expect(newTiles.length).toBeGreaterThan(0);
    expect(newTiles.every((url) => url.includes('hours=22-4'))).toBe(true);
    expect(newTiles.some((url) => url.includes('ages=0-9,10-14,15-17,18-24'))).toBe(true);
    // No cell outside 22:00-03:59 has any incident.
    const daytime = await page.locator('[data-testid=profile-chart] rect title').evaluateAll((titles) =>
      titles.map((title) => title.textContent ?? '').filter((text) => /\s(0[4-9]|1\d|2[01]):00-/.test(text) && !/: 0 /.test(text)));
    expect(daytime).toEqual([]);
    expect(await paintedShare()).toBeGreaterThan(0.02);
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-night-under25.png') });
  });

  it('opens a location of concern with its own hour x weekday profile when clicked', async () => {
    const search = new URL(page.url()).search;
    const locations = await page.evaluate(async (query): Promise<LocationCollection> =>
      (await fetch(`/api/locations${query}`)).json(), search.replace(/&?view=[^&]*/, ''));
    // A place with no other within 40 m, so the click cannot land on a neighbour.
    const points = locations.features.filter((feature) => feature.geometry.type === 'Point');
    const at = (feature: (typeof points)[number]) => feature.geometry.coordinates as [number, number];
    const target = points.find((feature) => points.every((other) => other === feature
      || Math.hypot((at(other)[0] - at(feature)[0]) * 69_600, (at(other)[1] - at(feature)[1]) * 111_320) > 40))!;
    const [lon, lat] = target.geometry.coordinates as [number, number];
    await page.evaluate(([x, y]) => {
      const map = (window as unknown as { lanternMap: { jumpTo(o: object): void } }).lanternMap;
      map.jumpTo({ center: [x, y], zoom: 15 });
    }, [lon, lat]);
    await waitForMap();
    const point = await page.evaluate(([x, y]) =>
      (window as unknown as { lanternMap: { project(p: [number, number]): { x: number; y: number } } }).lanternMap.project([x!, y!]), [lon, lat]);
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + point.x, box.y + point.y);
    const details = page.getByTestId('location-details');
    await details.waitFor();
    await expect(details.locator('h2').textContent()).resolves.toBe(target.properties.name);
    // Where the place comes from, as its licence asks, or that it is invented.
    await expect(page.getByTestId('location-source').textContent()).resolves.toMatch(target.properties.demo ? /Demo place/ : /Source: /);
    await expect(page.getByTestId('location-episodes').textContent()).resolves.toBe(target.properties.episodes.toLocaleString('en-GB'));
    await page.waitForFunction(() => document.querySelector('[data-testid=location-chart]')?.getAttribute('data-total') !== '');
    expect(await chartTotal('location-chart')).toBe(target.properties.episodes);
    expect(new URL(page.url()).searchParams.get('loc')).toBe(String(target.properties.id));
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-location-profile.png') });
  });

  it('keeps hexagons where a tile holds too many incidents for points, and points elsewhere', async () => {
    await page.getByRole('group', { name: 'Time-of-day presets' }).getByRole('button', { name: 'Any time' }).click();
    await page.getByRole('group', { name: 'Age presets' }).getByRole('button', { name: 'All ages' }).click();
    // The demo's densest zoom-14 tile (over the 5,000 points a tile carries) and its centre.
    const { rows: [dense] } = await server.db.pool.query<{ n: number; lon: number; lat: number }>(`
      SELECT count(*)::int AS n, ST_X(ST_Transform(ST_Centroid(ST_TileEnvelope(14, x::int, y::int)), 4326)) AS lon,
             ST_Y(ST_Transform(ST_Centroid(ST_TileEnvelope(14, x::int, y::int)), 4326)) AS lat
        FROM (SELECT floor((ST_X(geom_3857) + 20037508.342789244) / (40075016.68557849 / 16384)) AS x,
                     floor((20037508.342789244 - ST_Y(geom_3857)) / (40075016.68557849 / 16384)) AS y FROM incidents) t
       GROUP BY x, y ORDER BY count(*) DESC LIMIT 1`);
    expect(dense!.n).toBeGreaterThan(5000);
    const rendered = async (lon: number, lat: number) => {
      await page.evaluate(([x, y]) => (window as unknown as { lanternMap: { jumpTo(o: object): void } }).lanternMap
        .jumpTo({ center: [x, y], zoom: 14.5 }), [lon, lat]);
      await waitForMap();
      const count = () => page.evaluate(() => {
        const map = (window as unknown as { lanternMap: { queryRenderedFeatures(o: object): unknown[] } }).lanternMap;
        return {
          hexagons: map.queryRenderedFeatures({ layers: ['incident-dense-hexagons'] }).length,
          points: map.queryRenderedFeatures({ layers: ['incident-points'] }).length,
        };
      });
      // Points are icons, placed over the frames after the tiles load: wait until something is placed.
      await expect.poll(async () => { const found = await count(); return found.hexagons + found.points; }, { timeout: 15_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(500);
      return count();
    };
    const atDense = await rendered(dense!.lon, dense!.lat);
    expect(atDense.hexagons).toBeGreaterThan(0);
    await page.getByTestId('legend').getByText('too many incidents to draw one by one', { exact: false }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-dense-tile.png') });
    // Keynsham's centre: points only.
    const sparse = await rendered(-2.497, 51.413);
    expect(sparse.points).toBeGreaterThan(0);
    expect(sparse.hexagons).toBe(0);
    await page.waitForFunction(() => !document.querySelector('[data-testid=legend]')?.textContent?.includes('too many incidents to draw one by one'));
    // Back to the filters the next tests expect.
    await page.getByRole('group', { name: 'Time-of-day presets' }).getByRole('button', { name: 'Night-time economy 22-04' }).click();
    await page.getByRole('group', { name: 'Age presets' }).getByRole('button', { name: 'Under 25' }).click();
    await waitForMap();
  });

  it('ranks places by harm within a radius, and flies to the one chosen', async () => {
    const ranking = page.getByTestId('location-ranking');
    await ranking.locator('ol li').first().waitFor();
    const filterParams = new URL(page.url()).searchParams;
    for (const key of ['view', 'loc', 'measure', 'layer', 'radius']) filterParams.delete(key);
    const search = `?${filterParams.toString()}`;
    const locations = await page.evaluate(async (query): Promise<LocationCollection> =>
      (await fetch(`/api/locations${query}`)).json(), search);
    const withIncidents = locations.features.filter((feature) => feature.properties.episodes > 0);
    const items = ranking.locator('ol li');
    await expect(items.count()).resolves.toBe(Math.min(8, withIncidents.length));
    const second = withIncidents[1]!;
    await expect(items.nth(1).locator('.name').textContent()).resolves.toBe(second.properties.name);
    await items.nth(1).locator('button').click();
    await expect(page.getByTestId('location-details').locator('h2').textContent()).resolves.toBe(second.properties.name);
    const [lon, lat] = (second.geometry.type === 'Point'
      ? second.geometry.coordinates
      : (second.geometry.coordinates as number[][][][])[0]![0]![0]!) as [number, number];
    await page.waitForFunction(([x, y]) => {
      const map = (window as unknown as { lanternMap: { getCenter(): { lng: number; lat: number }; getZoom(): number; isMoving(): boolean } }).lanternMap;
      const centre = map.getCenter();
      return !map.isMoving() && map.getZoom() >= 14 && Math.abs(centre.lng - x!) < 0.01 && Math.abs(centre.lat - y!) < 0.01;
    }, [lon, lat]);
    expect(new URL(page.url()).searchParams.get('loc')).toBe(String(second.properties.id));
    await waitForMap();
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-ranking.png') });
    // A wider radius counts more around each place, and the URL keeps it.
    await ranking.getByLabel('Radius around each place').selectOption('400');
    await page.waitForFunction(() => window.location.search.includes('radius=400'));
    const wider = await page.evaluate(async (query): Promise<LocationCollection> =>
      (await fetch(`/api/locations${query}&radius=400`)).json(), search);
    const widerSecond = wider.features.find((feature) => feature.id === second.id)!;
    expect(widerSecond.properties.episodes).toBeGreaterThanOrEqual(second.properties.episodes);
    await ranking.getByLabel('Radius around each place').selectOption('100');
    await page.waitForFunction(() => !window.location.search.includes('radius='));
  });

  it('restores the same view from the URL on reload', async () => {
    const url = page.url();
    await page.reload();
    await waitForMap();
    expect(page.url()).toBe(url);
    await expect(page.getByRole('button', { name: 'Night-time economy 22-04' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByRole('button', { name: 'Under 25' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await page.getByTestId('location-details').waitFor();
  });

  it('counts people when asked, and says so', async () => {
    const episodes = await chartTotal();
    await page.getByLabel('People').check();
    await page.waitForFunction(() => document.querySelector('[data-testid=profile-chart]')?.getAttribute('data-measure') === 'people');
    expect(await chartTotal()).toBeLessThan(episodes);
    await expect(page.getByTestId('profile-chart').locator('figcaption').textContent()).resolves.toMatch(/People: distinct pseudonymous persons/);
    expect(new URL(page.url()).searchParams.get('measure')).toBe('people');
  });

  it('shows Gi* hot spots with their legend, explains a clicked cell, and draws kernel density and emerging hot spots', async () => {
    await page.getByLabel('Episodes').check();
    await page.getByRole('radio', { name: 'Hot spots (Getis-Ord Gi*)' }).click();
    await page.getByTestId('gistar-legend').waitFor();
    expect(new URL(page.url()).searchParams.get('layer')).toBe('gistar');
    // The key over the map follows the layer.
    await expect.poll(() => page.getByTestId('map-key').getAttribute('data-layer')).toBe('gistar');
    expect(await page.getByTestId('map-key').locator('li').allTextContents()).toEqual(['Hot 99%', '95%', '90%', 'Cold 90%', '95%', '99%']);
    const search = new URL(page.url()).search.replace(/&?(view|loc|layer|measure)=[^&]*/g, '');
    const hottest = await page.evaluate(async (query): Promise<[number, number]> => {
      const result = await (await fetch(`/api/hotspots/gistar${query}${query ? '&' : '?'}cellSize=150`)).json();
      const top = result.features.sort((a: { properties: { z: number } }, b: { properties: { z: number } }) => b.properties.z - a.properties.z)[0];
      const ring: [number, number][] = top.geometry.coordinates[0];
      return [ring.slice(0, -1).reduce((s, p) => s + p[0], 0) / (ring.length - 1), ring.slice(0, -1).reduce((s, p) => s + p[1], 0) / (ring.length - 1)];
    }, search);
    await page.evaluate(([x, y]) => (window as unknown as { lanternMap: { jumpTo(o: object): void } }).lanternMap.jumpTo({ center: [x, y], zoom: 13 }), hottest);
    await waitForMap();
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('cell-details').waitFor();
    await expect(page.getByTestId('cell-details').textContent()).resolves.toMatch(/Hot spot, 99% confidence/);
    // The chosen cell is outlined, and hovering says what it is, with its numbers.
    const selected = await page.evaluate(() => (window as unknown as { lanternMap: { getFilter(id: string): unknown } }).lanternMap.getFilter('gistar-cell-selected'));
    expect(JSON.stringify(selected)).toMatch(/\["==",\["get","id"\],"[^"]+"\]/);
    // (A place over the cell answers first: the pointer looks beside it.)
    expect(await hoverUntil(/Hot spot, 99%/)).toMatch(/^Hot spot, 99% confidence\n\d+ incidents in the cell\nz \d+\.\d\d, p < 0\.001$/);
    // With the places hidden, the hottest cell's centre answers for itself whatever place stood there.
    const panel = page.locator('[data-testid=layer-panel] summary');
    await panel.click();
    await page.getByTestId('layer-places').getByRole('checkbox').uncheck();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2);
    await expect.poll(() => page.locator('.map-tooltip').innerText()).toMatch(/^Hot spot, 99% confidence/);
    await page.getByTestId('layer-places').getByRole('checkbox').check();
    await panel.click();
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-gistar.png') });
    await page.evaluate(() => (window as unknown as { lanternMap: { jumpTo(o: object): void } }).lanternMap.jumpTo({ center: [-2.42, 51.35], zoom: 10.3 }));
    await page.getByRole('radio', { name: 'Kernel density' }).click();
    await page.getByTestId('kde-legend').waitFor();
    await expect.poll(() => page.getByTestId('map-key').getAttribute('data-layer')).toBe('kde');
    await expect(page.getByTestId('map-key').textContent()).resolves.toMatch(/^Kernel density, .*per km².*low[\d,]+$/);
    await waitForMap();
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-kde.png') });
    await page.getByRole('radio', { name: 'Emerging hot spots' }).click();
    await page.getByTestId('emerging-legend').waitFor();
    await expect(page.getByTestId('emerging-legend').textContent()).resolves.toMatch(/36 monthly slices/);
    await expect.poll(() => page.getByTestId('map-key').getAttribute('data-layer')).toBe('emerging');
    await waitForMap();
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-emerging.png') });
  });

  it('shows, fades and reorders the layers from the layer panel, and puts them back', async () => {
    await page.getByRole('radio', { name: 'Incident density (hexagons)' }).click();
    await page.locator('[data-testid=layer-panel] summary').click();
    type StyleReader = { getLayoutProperty(id: string, name: string): unknown; getPaintProperty(id: string, name: string): unknown; getStyle(): { layers: { id: string }[] } };
    const visibility = (id: string) => page.evaluate((layer) => (window as unknown as { lanternMap: StyleReader }).lanternMap.getLayoutProperty(layer, 'visibility'), id);
    const paint = (id: string, name: string) => page.evaluate(([layer, property]) => (window as unknown as { lanternMap: StyleReader }).lanternMap.getPaintProperty(layer, property), [id, name] as const);
    const row = (group: string) => page.getByTestId(`layer-${group}`);

    await row('incidents').getByRole('checkbox').uncheck();
    await expect.poll(() => visibility('incident-hexagons')).toBe('none');
    await row('incidents').getByRole('checkbox').check();
    await expect.poll(() => visibility('incident-hexagons')).toBe('visible');
    await page.getByLabel('Opacity of Incidents (hexagons, points)').fill('50');
    await expect.poll(() => paint('incident-hexagons', 'fill-opacity')).toBeCloseTo(0.39, 5);

    // Area outlines from the bottom of the three to the top: drawn over the hexagons and hot spot cells.
    const order = () => page.evaluate(() => (window as unknown as { lanternMap: StyleReader }).lanternMap.getStyle().layers
      .map((layer) => layer.id).filter((id) => ['area-lines', 'incident-hexagons', 'gistar-cells'].includes(id)));
    expect(await order()).toEqual(['area-lines', 'incident-hexagons', 'gistar-cells']);
    await page.getByRole('button', { name: 'Move Area outlines up' }).click();
    await page.getByRole('button', { name: 'Move Area outlines up' }).click();
    await expect.poll(order).toEqual(['incident-hexagons', 'gistar-cells', 'area-lines']);
    expect(await page.getByRole('button', { name: 'Move Area outlines up' }).isDisabled()).toBe(true);

    // The basemap faded under a white veil, then hidden with its labels.
    const veil = () => paint('basemap-veil', 'background-opacity');
    await page.getByLabel('Opacity of Street basemap').fill('30');
    await expect.poll(veil).toBeCloseTo(0.7, 5);
    await row('basemap').getByRole('checkbox').uncheck();
    await expect.poll(veil).toBe(1);
    await expect.poll(() => visibility('road-label')).toBe('none');
    await waitForMap();
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-layers.png') });

    // The settings travel in the link: a reload (or a colleague opening it) gives the same stack.
    await expect.poll(() => new URL(page.url()).searchParams.get('layers')).toBe('places,areas,hotspots,incidents:50,basemap:off:30');
    await page.reload();
    await waitForMap();
    await expect.poll(order).toEqual(['incident-hexagons', 'gistar-cells', 'area-lines']);
    await expect.poll(veil).toBe(1);
    await expect.poll(() => paint('incident-hexagons', 'fill-opacity')).toBeCloseTo(0.39, 5);
    await page.locator('[data-testid=layer-panel] summary').click();
    expect(await page.getByLabel('Opacity of Street basemap').inputValue()).toBe('30');

    // Colour-blind-safe colours: places and the legend change (parks bluish green), and the link keeps the choice.
    const parkColour = () => page.evaluate(() => JSON.stringify((window as unknown as { lanternMap: StyleReader }).lanternMap.getPaintProperty('locations-of-concern', 'circle-color')));
    expect(await parkColour()).toContain('"park","rgba(89, 161, 79, 1)"');
    await page.getByTestId('palette-colour-blind').click();
    await expect.poll(parkColour).toContain('"park","rgba(0, 158, 115, 1)"');
    await expect.poll(() => new URL(page.url()).searchParams.get('colours')).toBe('colour-blind');
    expect(await page.locator('[data-testid=legend] .kinds li', { hasText: 'Park' }).first().locator('.dot').evaluate((dot) => getComputedStyle(dot).backgroundColor))
      .toBe('rgb(0, 158, 115)');
    await page.getByTestId('palette-standard').click();
    await expect.poll(parkColour).toContain('"park","rgba(89, 161, 79, 1)"');

    // Back as designed, for the tests after this one.
    await row('basemap').getByRole('checkbox').check();
    await page.getByLabel('Opacity of Street basemap').fill('100');
    await page.getByLabel('Opacity of Incidents (hexagons, points)').fill('100');
    await page.getByRole('button', { name: 'Move Area outlines down' }).click();
    await page.getByRole('button', { name: 'Move Area outlines down' }).click();
    await expect.poll(order).toEqual(['area-lines', 'incident-hexagons', 'gistar-cells']);
    await expect.poll(veil).toBe(0);
    await expect.poll(() => visibility('road-label')).toBe('visible');
    await page.locator('[data-testid=layer-panel] summary').click();
  });

  it('draws the real streets with their names, the towns and the OS attribution from Lantern alone', async () => {
    await page.getByRole('radio', { name: 'Incident density (hexagons)' }).click();
    const labels = async (layer: string) => page.evaluate((id) => {
      const map = (window as unknown as { lanternMap: { queryRenderedFeatures(o: object): { properties: { name?: string } }[] } }).lanternMap;
      return [...new Set(map.queryRenderedFeatures({ layers: [id] }).map((feature) => feature.properties.name))];
    }, layer);
    // The district: town names over the hexagons.
    await page.evaluate(() => (window as unknown as { lanternMap: { jumpTo(o: object): void } }).lanternMap.jumpTo({ center: [-2.45, 51.35], zoom: 10.3 }));
    await waitForMap();
    expect(await labels('town-label')).toEqual(expect.arrayContaining(['Bath', 'Keynsham', 'Midsomer Norton']));
    // Hovering a hexagon gives its incidents, density and harm, with their units.
    const tooltip = await hoverUntil(/per km²/);
    expect(tooltip).toMatch(/^\d[\d,]* incidents?\n[\d,.]+ incidents per km²\nharm [\d,]+ days of custody$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-district-basemap.png') });
    // Bath centre at z16: street names drawn along the streets, from glyphs Lantern serves.
    await page.evaluate(() => (window as unknown as { lanternMap: { jumpTo(o: object): void } }).lanternMap.jumpTo({ center: [-2.3605, 51.3835], zoom: 16 }));
    await waitForMap();
    // Labels are placed over the frames after the tiles load (the incidents' icons beside them).
    await expect.poll(() => labels('road-label'), { timeout: 15_000 }).toEqual(expect.arrayContaining(['George Street', 'Milsom Street']));
    expect(requests.some((url) => url.includes('/api/basemap/fonts/Noto%20Sans%20Regular/0-255.pbf'))).toBe(true);
    await expect(page.locator('.maplibregl-ctrl-attrib').textContent()).resolves.toContain('Contains OS data © Crown copyright and database right');
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-bath-z16.png') });
  });

  it('gets its scripts and styles as the build\'s compressed copies, and JSON compressed', () => {
    // Chromium asks for br over HTTPS and gzip over plain HTTP: either is a compressed answer.
    expect(assetEncodings.length).toBeGreaterThan(2);
    expect(assetEncodings.filter((entry) => !/^(br|gzip) /.test(entry))).toEqual([]);
    expect(jsonEncodings.length).toBeGreaterThan(0);
    expect(jsonEncodings.filter((encoding) => encoding !== 'br' && encoding !== 'gzip')).toEqual([]);
  });

  it('keeps the density classes across a filter change when asked, and in the link', async () => {
    await page.goto(`${server.origin}/`);
    await waitForMap();
    const legend = () => page.getByTestId('density-legend').locator('li').allTextContents();
    const fitted = await legend();
    await page.getByTestId('fix-classes').locator('input').check();
    await page.waitForFunction(() => window.location.search.includes('classes='));
    await page.getByRole('button', { name: 'Night-time economy 22-04' }).click();
    await page.waitForFunction(() => window.location.search.includes('hours='));
    await waitForMap();
    expect(await legend()).toEqual(fitted);
    // Unfixed, the classes fit the (much sparser) night-time hexagons again.
    await page.getByTestId('fix-classes').locator('input').uncheck();
    await expect.poll(legend, { timeout: 15_000 }).not.toEqual(fitted);
    expect(new URL(page.url()).searchParams.get('classes')).toBeNull();
  });

  it('plays the months: the slider steps the date filter, the map and the chart through the data month by month', async () => {
    await page.goto(`${server.origin}/`);
    await waitForMap();
    await page.getByTestId('playback-play').click();
    await expect.poll(() => page.getByTestId('playback-label').textContent(), { timeout: 10_000 }).toBe('November 2023');
    await expect.poll(() => page.getByTestId('playback-label').textContent(), { timeout: 10_000 }).toBe('December 2023');
    await page.getByTestId('playback-play').click();
    expect(new URL(page.url()).searchParams.get('from')).toMatch(/^2023-1[12]-01$/);
    await page.getByTestId('playback-month').fill('12');
    await page.waitForFunction(() => window.location.search.includes('from=2024-11-01'));
    expect(new URL(page.url()).searchParams.get('to')).toBe('2024-11-30');
    expect(await page.getByTestId('playback-label').textContent()).toBe('November 2024');
  });

  it('tests the filters for near repeats on demand and shows the Knox table with its reading', async () => {
    await page.goto(`${server.origin}/?categories=robbery&hours=15-19`);
    await page.getByTestId('near-repeat').locator('summary').click();
    await page.getByRole('button', { name: 'Test these filters' }).click();
    await expect.poll(() => page.getByTestId('near-repeat-reading').textContent(), { timeout: 30_000 })
      .toMatch(/times as common as chance would give|No near repeat stands out/);
    expect(await page.getByTestId('near-repeat').locator('tbody tr').count()).toBe(7);
    expect(await page.getByTestId('near-repeat').locator('thead th').allTextContents())
      .toEqual(['Distance', '0-7 days', '8-14 days', '15-21 days', '22-28 days', 'More than 28 days']);
  });

  it('finds the demo\'s peer groups for an analyst and numbers a group\'s places on the map', async () => {
    await page.goto(`${server.origin}/`);
    await page.getByTestId('peer-groups').locator('summary').click();
    await page.getByRole('button', { name: 'Find groups' }).click();
    await expect.poll(() => page.getByTestId('peer-groups-count').textContent(), { timeout: 30_000 }).toMatch(/^2 groups of 3 or more/);
    const before = page.url();
    await page.getByTestId('peer-group-show').first().click();
    const places = page.getByTestId('peer-group').first().locator('.peer-group-places li');
    expect(await places.count()).toBeGreaterThan(2);
    // The map fits the group's numbered places: the view in the URL moves.
    await expect.poll(() => page.url(), { timeout: 10_000 }).not.toBe(before);
    expect(await page.getByTestId('peer-group').first().textContent()).not.toMatch(/demo-person|person_ref/);
  });

  it('narrows a filter to one option with its "only" button or the O key', async () => {
    const categories = () => new URL(page.url()).searchParams.get('categories');
    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.getByText('Knife crime', { exact: true }).hover();
    await filters.getByTestId('only-knife_crime').click();
    await expect.poll(categories).toBe('knife_crime');
    expect(await filters.getByRole('checkbox', { name: 'Robbery' }).isChecked()).toBe(false);
    await filters.getByRole('checkbox', { name: 'Robbery' }).focus();
    await page.keyboard.press('o');
    await expect.poll(categories).toBe('robbery');
    await page.waitForFunction(() => document.querySelector('[data-testid=profile-chart-state]')?.getAttribute('data-current') === 'true');
  });

  it('never asks the outside network for anything', () => {
    const outside = requests.filter((url) => !url.startsWith(server.origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
    expect(outside).toEqual([]);
    expect(blocked).toEqual([]);
  });
});
