// `npm run bench` in its tiny mode: the whole benchmark (dataset, real server, HTTP load,
// raw SQL) runs and reports every case without errors. No timing is asserted here:
// speed is measured by `npm run bench` at 1M incidents, never in tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../helpers/browser.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const out = mkdtempSync(path.join(os.tmpdir(), 'lantern-bench-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench --scale 10k', () => {
  it('measures every case over HTTP, and tiles and Gi* through pg too, with no errors', () => {
    const run = spawnSync(process.execPath, [
      '--import', 'tsx', path.join(ROOT, 'scripts', 'bench', 'run.ts'), '--scale', '10k', '--duration', '1', '--connections', '4', '--out', out,
    ], { cwd: ROOT, encoding: 'utf8', timeout: 420_000 });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(results).toMatchObject({ scale: '10k', connections: 4 });
    expect(results.teamEventLoop).toMatch(/requests\/s in all; (team: event-loop delay over the last 10 s under the team: p50 [\d.]+ ms, p99 [\d.]+ ms|event-loop delay: not reported)/);
    expect(results.incidents).toBeGreaterThan(9_000);
    const cases = results.results.map((row: { case: string; via: string }) => `${row.case} / ${row.via}`);
    const warmedLabel = { presets: ' (filters not warmed)', unfiltered: ' (filtered: none is warmed)' };
    const first = (name: string, warmed?: keyof typeof warmedLabel) => `${name} / HTTP, first asking, 1 client${warmed ? warmedLabel[warmed] : ''}`;
    expect(cases).toEqual([
      // The team first: never-asked filters, in a map page's mix.
      ...["tiles z12-15", 'profile', "Gi* (the map's cells)"].map((route) => `team: ${route} / HTTP, 4 clients, never-asked filters`),
      first('tiles z10-16', 'presets'), 'tiles z10-16 / HTTP', 'tiles z10-16 / SQL (pg)',
      first('Gi* 150 m', 'unfiltered'), 'Gi* 150 m / HTTP', 'Gi* 150 m / SQL (pg)',
      first('KDE', 'unfiltered'), 'KDE / HTTP', first('emerging 36 months'), 'emerging 36 months / HTTP',
      first('area summary'), 'area summary / HTTP', first('locations ranking', 'presets'), 'locations ranking / HTTP',
      first('people flow by month'), 'people flow by month / HTTP',
      first('near repeat (Knox, one month of robbery)'), 'near repeat (Knox, one month of robbery) / HTTP',
      first('peer groups (exploitation categories)'), 'peer groups (exploitation categories) / HTTP',
      first('basemap tiles z12-16, each new'), 'basemap tiles z12-16, each new / HTTP',
      first('basemap tiles z10-16, kept'), 'basemap tiles z10-16, kept / HTTP',
      // The browser case needs Debian's Chromium and the built web app (npm test builds it before the e2e suite).
      ...(existsSync(CHROMIUM) && existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))
        ? ['first map paint in the browser (street basemap, hexagons, places, chart) / Chromium, sign-in to map drawn, 5 fresh browsers (the first with the server\'s basemap tiles never asked)',
          ...['first asking, presets (warmed)', 'first asking, never asked', 'again']
            .flatMap((pass) => [`${pass}: data in the page`, `${pass}: map drawn`]).map((via) => `filter change in the browser (map + chart) / Chromium, ${via}`)]
        : []),
    ]);
    for (const row of results.results) {
      expect(row.figures.requests, row.case).toBeGreaterThan(0);
      expect(row.figures.errors, row.case).toBe(0);
      expect(row.figures.p95, row.case).toBeGreaterThanOrEqual(row.figures.p50);
    }
    // The import case: the same generated police.uk file three ways.
    expect(results.imports.map((row: { method: string }) => row.method)).toEqual([
      expect.stringMatching(/^Lantern import/), expect.stringMatching(/^psql \\copy/), expect.stringMatching(/^ogr2ogr/),
    ]);
    for (const row of results.imports.slice(0, 2)) {
      expect(row.rows).toBe(10_000);
      expect(row.rowsPerSecond).toBeGreaterThan(0);
    }
    expect(results.imports[0].note).toMatch(/accepted/);
    const markdown = readFileSync(path.join(out, 'RESULTS.md'), 'utf8');
    expect(markdown).toMatch(/machine: .*GiB/);
    // The server answered its opening questions before the cases ran.
    expect(results.warmUpSeconds).toBeGreaterThan(0);
    expect(results.columnCopySeconds).toBeGreaterThan(0);
    expect(results.columnCopySeconds).toBeLessThanOrEqual(results.warmUpSeconds);
    expect(markdown).toMatch(/warm-up: the server answered its opening questions .* in \d+\.\d s after it started/);
    expect(markdown).toMatch(/\| Gi\* 150 m \| HTTP \|/);
    expect(run.stdout).toMatch(/\| case \| via \| requests/);
    expect(markdown).toMatch(/## Import: a generated police.uk CSV of 10,000 rows/);
  }, 480_000);
});
