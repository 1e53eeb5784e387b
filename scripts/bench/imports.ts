// The import case of `npm run bench`: rows per second for one generated police.uk
// street-level CSV, imported three ways into fresh databases on the same PostgreSQL:
//   - Lantern's import (server/src/imports: parse, check, COPY to staging, merge, link);
//   - psql's \copy into a bare table of twelve text columns (the floor: no checks at all);
//   - GDAL's ogr2ogr into PostGIS (points from Longitude/Latitude, COPY mode).
// The file is generated once per size (deterministic) under .data/bench/ and reused.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '@lantern/server/migrate';
import { runImport } from '../../server/src/imports/pipeline.js';
import { POLICE_UK_CATEGORIES, POLICE_UK_HEADER } from '../../server/src/imports/incidents.js';
import { debianToolAvailable } from '../lib/local-postgres.mjs';
import { databaseFor } from './dataset.js';
import { Random } from './measure.js';

export interface ImportFigures {
  method: string;
  rows: number;
  seconds: number | null;
  rowsPerSecond: number | null;
  note?: string;
}

const PSQL = '/usr/lib/postgresql/15/bin/psql';
const TYPES = Object.keys(POLICE_UK_CATEGORIES);
const STREETS = ['Milsom Street', 'Southgate', 'Kingsmead Square', 'Green Park Road', 'High Street', 'Bath Road', 'Church Lane', 'Station Road'];

/** A police.uk street-level CSV of `rows` rows in B&NES, with the format's quirks. */
export async function policeCsv(directory: string, rows: number): Promise<string> {
  const file = path.join(directory, `police-uk-${rows}.csv`);
  if (existsSync(file)) return file;
  mkdirSync(directory, { recursive: true });
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  const random = new Random(rows);
  const hex = () => Array.from({ length: 8 }, () => random.int(2 ** 32).toString(16).padStart(8, '0')).join('');
  out.write(`${POLICE_UK_HEADER.join(',')}\n`);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const type = TYPES[random.int(TYPES.length)]!;
    const month = `${2023 + random.int(3)}-${String(1 + random.int(12)).padStart(2, '0')}`;
    const noPosition = random.next() < 0.02;
    const lon = noPosition ? '' : (-2.65 + random.next() * 0.35).toFixed(6);
    const lat = noPosition ? '' : (51.29 + random.next() * 0.13).toFixed(6);
    const lsoa = `E0101${String(4370 + random.int(115)).padStart(4, '0')}`;
    const name = random.next() < 0.01 ? '"Bath and North East Somerset 007A, Central"' : `Bath and North East Somerset 0${String(random.int(30)).padStart(2, '0')}A`;
    chunk += `${type === 'Anti-social behaviour' ? '' : hex()},${month},Avon and Somerset Constabulary,Avon and Somerset Constabulary,`
      + `${lon},${lat},On or near ${STREETS[random.int(STREETS.length)]},${noPosition ? '' : lsoa},${noPosition ? '' : name},${type},Under investigation,\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  renameSync(partial, file);
  return file;
}

/** An empty database of this name: Lantern's tables emptied, or no tables at all. */
async function emptyDatabase(name: string, lantern: boolean): Promise<string> {
  const url = await databaseFor(name);
  if (lantern) await migrate(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(lantern
      ? 'TRUNCATE incidents, locations_of_concern, areas, import_rejects, import_batches CASCADE'
      : 'DROP TABLE IF EXISTS police_bare, police_ogr');
  } finally {
    await client.end();
  }
  return url;
}

const rate = (method: string, rows: number, seconds: number, note?: string): ImportFigures =>
  ({ method, rows, seconds, rowsPerSecond: rows / seconds, ...(note ? { note } : {}) });

/** Runs the three imports of the same file, each into an empty database of its own. */
export async function benchImports(directory: string, rows: number, log: (message: string) => void): Promise<ImportFigures[]> {
  log(`Import case: generating a police.uk CSV of ${rows.toLocaleString('en-GB')} rows...`);
  const file = await policeCsv(directory, rows);
  const results: ImportFigures[] = [];

  const lanternUrl = await emptyDatabase('lantern_bench_import', true);
  const pool = new pg.Pool({ connectionString: lanternUrl, max: 2 });
  try {
    const started = performance.now();
    const report = await runImport({ pool, input: createReadStream(file), filename: path.basename(file), kind: 'police-uk', user: 'bench', secret: 'bench' });
    const seconds = (performance.now() - started) / 1000;
    results.push(rate('Lantern import (checks, staging COPY, merge, place links)', report.read, seconds,
      `${report.accepted.toLocaleString('en-GB')} accepted, ${report.rejected.toLocaleString('en-GB')} rejected, ${report.duplicates.toLocaleString('en-GB')} duplicates`));
  } finally {
    await pool.end();
  }

  const bareUrl = await emptyDatabase('lantern_bench_import_bare', false);
  const bare = new pg.Client({ connectionString: bareUrl });
  await bare.connect();
  await bare.query(`CREATE TABLE police_bare (${POLICE_UK_HEADER.map((_, i) => `c${i} text`).join(', ')})`);
  await bare.end();
  let started = performance.now();
  const copy = spawnSync(PSQL, [bareUrl, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy police_bare FROM '${file}' WITH (FORMAT csv, HEADER true)`], { encoding: 'utf8' });
  if (copy.status !== 0) throw new Error(`psql \\copy failed: ${copy.stderr}`);
  results.push(rate('psql \\copy into a bare text table', rows, (performance.now() - started) / 1000));

  if (debianToolAvailable('/usr/bin/ogr2ogr', 'gdal-bin', 'the ogr2ogr comparison')) {
    const url = new URL(bareUrl);
    const connection = `PG:host=${url.hostname} port=${url.port} dbname=${url.pathname.slice(1)} user=${decodeURIComponent(url.username)} password=${decodeURIComponent(url.password)}`;
    started = performance.now();
    const ogr = spawnSync('ogr2ogr', ['-f', 'PostgreSQL', connection, file, '-nln', 'police_ogr', '-overwrite',
      '-oo', 'X_POSSIBLE_NAMES=Longitude', '-oo', 'Y_POSSIBLE_NAMES=Latitude', '-oo', 'KEEP_GEOM_COLUMNS=NO', '-a_srs', 'EPSG:4326',
      '--config', 'PG_USE_COPY', 'YES'], { encoding: 'utf8' });
    if (ogr.status !== 0) throw new Error(`ogr2ogr failed: ${ogr.stderr}`);
    results.push(rate('ogr2ogr into PostGIS (PG_USE_COPY)', rows, (performance.now() - started) / 1000));
  } else {
    results.push({ method: 'ogr2ogr into PostGIS (PG_USE_COPY)', rows, seconds: null, rowsPerSecond: null, note: 'gdal-bin is not installed' });
  }
  return results;
}
