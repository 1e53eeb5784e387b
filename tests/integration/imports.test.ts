// Imports against real PostGIS with generated files: every bad-input case, encodings,
// idempotent re-import, rollback, an import cut off half-way, BNG vs WGS84, the web upload.
import type { ImportReport } from '@lantern/shared';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { personRef } from '../../server/src/auth/pseudonyms.js';
import { BULK_LOAD_MIN_ROWS } from '../../server/src/imports/incidents.js';
import { runImport, type ImportOptions } from '../../server/src/imports/pipeline.js';
import { importsRepository } from '../../server/src/repositories/imports.js';
import { signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertLocation } from '../helpers/fixtures.js';

const SECRET = 'test-secret-for-person-refs';
const HEADER = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';
const FORCE = 'Avon and Somerset Constabulary,Avon and Somerset Constabulary';
// Inside the test district and its LSOA square; Bristol is outside the district.
const BATH = { lon: -2.36, lat: 51.38 };
const BRISTOL = { lon: -2.59, lat: 51.45 };

const policeRow = (id: string, month: string, lon: number | string, lat: number | string, type: string, location = 'On or near Milsom Street', lsoa = 'E01014370') =>
  `${id},${month},${FORCE},${lon},${lat},${location},${lsoa},Bath and North East Somerset 007A,${type},Under investigation,`;

let db: TestDatabase;

function run(content: string | Buffer, options: Partial<ImportOptions> & { filename: string }): Promise<ImportReport> {
  return runImport({ pool: db.pool, input: Readable.from([Buffer.from(content)]), user: 'tester', secret: SECRET, ...options });
}

async function tableCounts() {
  const { rows } = await db.pool.query<{ incidents: number; locations: number; areas: number; populated: number }>(`
    SELECT (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM locations_of_concern)::int AS locations,
           (SELECT count(*) FROM areas)::int AS areas, (SELECT count(*) FROM areas WHERE population_10_24 IS NOT NULL)::int AS populated`);
  return rows[0]!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'district', code: 'E06000022', name: 'Test district', lon: -2.4, lat: 51.35, half: 0.15 });
  await insertArea(db.pool, { level: 'lsoa', code: 'E01014370', name: 'Bath 007A', lon: BATH.lon, lat: BATH.lat, half: 0.01 });
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  await db.pool.query('DELETE FROM incidents; DELETE FROM locations_of_concern; DELETE FROM import_rejects');
});

describe('police.uk stop and search CSV', () => {
  const HEADER_SEARCH = 'Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,Self-defined ethnicity,'
    + 'Officer-defined ethnicity,Legislation,Object of search,Outcome,Outcome linked to object of search,Removal of more than just outer clothing';
  const search = (date: string, lon: number | string, lat: number | string, age: string, object: string, outcome: string) =>
    `Person search,${date},False,,${lat},${lon},Male,${age},White - English/Welsh/Scottish/Northern Irish/British,White,`
    + `Misuse of Drugs Act 1971 (section 23),${object},${outcome},False,False`;

  it('keeps searches as their own source with their hour, age range, object and outcome', async () => {
    const report = await run([
      HEADER_SEARCH,
      search('2025-01-03T16:20:00+00:00', BATH.lon, BATH.lat, '18-24', 'Controlled drugs', 'Community resolution'),
      search('2025-01-03T16:20:00+00:00', BATH.lon, BATH.lat, '18-24', 'Controlled drugs', 'Community resolution'), // an identical second search
      search('2025-06-04T23:05:00+00:00', BATH.lon, BATH.lat, '10-17', 'Offensive weapons', 'Arrest'),
      search('2025-01-05T10:00:00+00:00', '', '', 'over 34', 'Stolen goods', 'A no further action disposal'),
    ].join('\n'), { filename: 'stop-and-search.csv' });
    expect(report).toMatchObject({ kind: 'police-uk-stop-search', detected: true, read: 4, accepted: 3, rejected: 1 });
    expect(report.rejects.map((r) => [r.row, r.reason])).toEqual([[5, 'missing_coordinates']]);
    const { rows } = await db.pool.query(`
      SELECT source, category, original_type, local_hour, age_band, gender, ethnicity, role, outcome, original_outcome, time_precision
        FROM incidents ORDER BY occurred_at, id`);
    expect(rows[0]).toEqual({
      source: 'police_uk_stop_search', category: 'drugs', original_type: 'Controlled drugs', local_hour: 16, age_band: '18-24',
      gender: 'male', ethnicity: 'white', role: 'suspect', outcome: 'out_of_court', original_outcome: 'Community resolution', time_precision: 'minute',
    });
    expect(rows[1]).toMatchObject({ category: 'drugs', age_band: '18-24' });
    // 23:05 UTC in June is 00:05 British Summer Time; 10-17 spans two bands, so no band is guessed.
    expect(rows[2]).toMatchObject({ category: 'knife_crime', local_hour: 0, age_band: 'unknown', outcome: 'other', original_outcome: 'Arrest' });
    expect((await run([HEADER_SEARCH, search('2025-01-03T16:20:00+00:00', BATH.lon, BATH.lat, '18-24', 'Controlled drugs', 'Community resolution')].join('\n'),
      { filename: 'stop-and-search.csv' })).accepted).toBe(0);
  });
});

describe('police.uk street-level CSV', () => {
  const file = [
    HEADER,
    policeRow('abc1', '2025-01', BATH.lon, BATH.lat, 'Robbery'),
    policeRow('', '2025-01', BATH.lon, BATH.lat, 'Anti-social behaviour'),
    policeRow('', '2025-01', BATH.lon, BATH.lat, 'Anti-social behaviour'), // a second, identical ASB report
    policeRow('abc2', '2025-02', '', '', 'Burglary', 'No location', ''),
    policeRow('abc3', '2025-02', BRISTOL.lon, BRISTOL.lat, 'Drugs'),
    policeRow('abc4', '2025-02', BATH.lat, BATH.lon, 'Drugs'),
    policeRow('abc5', '2025-13', BATH.lon, BATH.lat, 'Drugs'),
    policeRow('abc6', '2025-02', BATH.lon, BATH.lat, 'Littering'),
    `abc7,2025-03,${FORCE},${BATH.lon},${BATH.lat},On or near Milsom Street,E01014370,"Bath and North East Somerset 007A, Central",Violence and sexual offences,Under investigation,`,
    'abc8,2025-03,too,few,columns',
    policeRow('abc1', '2025-01', BATH.lon, BATH.lat, 'Robbery'), // the same Crime ID again
    policeRow('abc9', '2025-03', BATH.lon + 0.05, BATH.lat, 'Possession of weapons', 'On or near Bear Flat', 'E01014370'),
  ].join('\n');

  it('imports what is good and reports every other row with its line, field and reason', async () => {
    const report = await run(file, { filename: 'police.csv' });
    expect(report).toMatchObject({ kind: 'police-uk', detected: true, encoding: 'utf-8', read: 12, accepted: 5, duplicates: 1, outsideDistrict: 1, rejected: 6 });
    expect(report.rejectedByReason).toEqual({
      missing_coordinates: 1, outside_district: 1, swapped_coordinates: 1, bad_date: 1, unknown_category: 1, column_count: 1,
    });
    expect(report.rejects.map((r) => [r.row, r.field, r.reason])).toEqual([
      [5, 'Longitude', 'missing_coordinates'],
      [6, null, 'outside_district'],
      [7, 'Latitude', 'swapped_coordinates'],
      [8, 'Month', 'bad_date'],
      [9, 'Crime type', 'unknown_category'],
      [11, null, 'column_count'],
    ]);
    // abc9 lies outside the LSOA its row names.
    expect(report.areaCodeDisagreements).toBe(1);
    const { rows } = await db.pool.query(`
      SELECT source, source_ref, category, original_type, time_precision, local_date::text, local_hour, local_weekday, is_demo
        FROM incidents ORDER BY source_ref COLLATE "C"`);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({
      source: 'police_uk_open_data', source_ref: 'abc1', category: 'robbery', original_type: 'Robbery', time_precision: 'month',
      local_date: '2025-01-01', local_hour: null, local_weekday: null, is_demo: false,
    });
    expect(rows.map((row) => row.category)).toEqual(['robbery', 'serious_violence', 'knife_crime', 'asb', 'asb']);
    // The two identical ASB reports are two incidents with stable derived keys.
    expect(rows[3].source_ref).toMatch(/^h:.+:1$/);
    expect(rows[4].source_ref).toBe(rows[3].source_ref.replace(/:1$/, ':2'));
    const batch = await importsRepository(db.pool).get(report.batchId!);
    expect(batch).toMatchObject({ status: 'committed', rowsTotal: 12, rowsInserted: 5, rowsRejected: 6, liveRows: 5, createdBy: 'tester' });
  });

  it('counts a Crime ID filed at two places once and rejects the other place naming the line kept; keeps each outcome', async () => {
    const outcome = (row: string, words: string) => row.replace(',Under investigation,', `,${words},`);
    const report = await run([
      HEADER,
      outcome(policeRow('dup1', '2025-01', BATH.lon, BATH.lat, 'Drugs'), 'Local resolution'),
      outcome(policeRow('dup1', '2025-01', BATH.lon + 0.001, BATH.lat, 'Drugs'), 'Local resolution'),
      outcome(policeRow('dup1', '2025-01', BATH.lon, BATH.lat, 'Drugs'), 'Local resolution'), // the first place again
      outcome(policeRow('one', '2025-01', BATH.lon, BATH.lat, 'Robbery'), 'Investigation complete; no suspect identified'),
      outcome(policeRow('', '2025-01', BATH.lon, BATH.lat, 'Anti-social behaviour'), ''),
    ].join('\n'), { filename: 'police-dups.csv' });
    expect(report).toMatchObject({ read: 5, accepted: 3, duplicates: 1, rejected: 1 });
    expect(report.rejects).toEqual([{ row: 3, field: null, reason: 'duplicate_reference',
      message: 'the reference is also on line 2 at another place; the record is counted once, there' }]);
    const { rows } = await db.pool.query(`SELECT source_ref, outcome, original_outcome, round(ST_X(geom)::numeric, 3)::float8 AS lon
      FROM incidents ORDER BY source_ref COLLATE "C"`);
    expect(rows.map((row) => [row.source_ref.replace(/^h:.*/, 'h'), row.outcome, row.original_outcome, row.lon])).toEqual([
      ['dup1', 'out_of_court', 'Local resolution', BATH.lon],
      ['h', 'unknown', null, BATH.lon],
      ['one', 'no_suspect', 'Investigation complete; no suspect identified', BATH.lon],
    ]);
  });

  it('writes rows in space order, not the file\'s, so the incidents under one tile sit together', async () => {
    // Lines alternate between two streets 3.5 km apart.
    const rows = Array.from({ length: 10 }, (_, k) =>
      policeRow(`s${k}`, '2025-01', k % 2 === 0 ? BATH.lon : BATH.lon + 0.05, BATH.lat, 'Robbery'));
    expect(await run([HEADER, ...rows].join('\n'), { filename: 'alternating.csv' })).toMatchObject({ accepted: 10 });
    const { rows: written } = await db.pool.query<{ west: boolean }>(
      `SELECT ST_X(geom) < ${BATH.lon + 0.025} AS west FROM incidents ORDER BY id`);
    const changes = written.filter((row, k) => k > 0 && row.west !== written[k - 1]!.west).length;
    expect(changes).toBe(1);
  });

  it('adds nothing twice: the same file again, then an overlapping later extract', async () => {
    await run(file, { filename: 'police.csv' });
    const again = await run(file, { filename: 'police.csv' });
    expect(again).toMatchObject({ accepted: 0, duplicates: 6 });
    const later = [HEADER, ...file.split('\n').slice(1, 4), policeRow('new1', '2025-04', BATH.lon, BATH.lat, 'Drugs')].join('\n');
    const overlap = await run(later, { filename: 'police-later.csv' });
    expect(overlap).toMatchObject({ read: 4, accepted: 1, duplicates: 3 });
    expect((await tableCounts()).incidents).toBe(6);
  });

  it('writes nothing on a dry run, and says what would be written', async () => {
    const report = await run(file, { filename: 'police.csv', dryRun: true });
    expect(report).toMatchObject({ batchId: null, dryRun: true, accepted: 5 });
    expect((await tableCounts()).incidents).toBe(0);
  });

  it('refuses a CSV that is not police.uk when that kind is chosen', async () => {
    await expect(run('id,date\n1,2025-01-01\n', { filename: 'x.csv', kind: 'police-uk' })).rejects.toThrow(/not a police.uk street-level CSV.*"Crime ID"/);
  });

  it('reads UTF-8 with a BOM and CRLF, and Windows-1252', async () => {
    const crlf = `\uFEFF${[HEADER, policeRow('crlf1', '2025-01', BATH.lon, BATH.lat, 'Robbery', 'On or near Caf\u00e9 Ren\u00e9')].join('\r\n')}\r\n`;
    const utf8 = await run(crlf, { filename: 'bom.csv' });
    expect(utf8).toMatchObject({ kind: 'police-uk', encoding: 'utf-8', accepted: 1, rejected: 0 });
    const text = [HEADER, policeRow('cp1', '2025-01', BATH.lon, BATH.lat, 'Robbery', 'On or near Caf\u00e9 \u2013 Ren\u00e9')].join('\r\n');
    const cp1252 = Buffer.from(new Uint8Array([...text].map((c) => (c === '\u00e9' ? 0xe9 : c === '\u2013' ? 0x96 : c.charCodeAt(0)))));
    const report = await run(cp1252, { filename: '1252.csv' });
    expect(report).toMatchObject({ encoding: 'windows-1252', accepted: 1 });
  });

  it('refuses UTF-16, binary files, empty files and bad bytes in a file said to be UTF-8', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, 'utf16le')]);
    await expect(run(utf16, { filename: 'utf16.csv' })).rejects.toThrow(/UTF-16/);
    await expect(run(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), { filename: 'x.xlsx' })).rejects.toThrow(/NUL bytes/);
    await expect(run('', { filename: 'empty.csv' })).rejects.toThrow(/empty/);
    const bad = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0x61, 0xe9, 0x0a])]);
    await expect(run(bad, { filename: 'bad.csv', encoding: 'utf-8' })).rejects.toThrow(/not valid utf-8/);
    expect((await tableCounts()).incidents).toBe(0);
  });
});

describe('incident CSV with a mapping', () => {
  it('reads local and UTC times, hashes person identifiers and rejects bad values with reasons', async () => {
    const csv = [
      'Ref,When,X,Y,Type,Age,Sex,Ethnic group,Role,Patient ID',
      'ED1,01/07/2025 23:30,-2.36,51.38,Knife,16,M,White: British,Patient,NHS 123',
      'ED2,2025-07-01T22:30:00Z,-2.36,51.38,knife_crime,19,F,,victim,NHS 123',
      'ED3,31/02/2025 10:00,-2.36,51.38,knife_crime,19,F,,victim,NHS 9',
      'ED4,01/07/2025 10:00,-2.36,51.38,Littering,19,F,,victim,NHS 9',
      'ED5,01/07/2025 10:00,-2.36,51.38,knife_crime,19.5,F,,victim,NHS 9',
      'ED6,01/07/2025 10:00,-2.36,51.38,knife_crime,19,blue,,victim,NHS 9',
      'ED7,01/07/2025,-2.36,51.38,,19,F,,victim,NHS 9',
      'ED8,01/07/2099 10:00,-2.36,51.38,knife_crime,19,F,,victim,NHS 9',
    ].join('\n');
    const mapping = {
      source: 'hospital_ed' as const,
      columns: { ref: 'Ref', occurred_at: 'When', lon: 'X', lat: 'Y', category: 'Type', age: 'Age', gender: 'Sex', ethnicity: 'Ethnic group', role: 'Role', person: 'Patient ID' },
    };
    const report = await run(csv, { filename: 'ed.csv', kind: 'incidents-csv', mapping });
    expect(report).toMatchObject({ read: 8, accepted: 2, rejected: 6 });
    expect(report.rejects.map((r) => [r.row, r.field, r.reason])).toEqual([
      [4, 'When', 'bad_date'], [5, 'category', 'unknown_category'], [6, 'Age', 'bad_number'], [7, 'gender', 'bad_value'],
      [8, 'Type', 'missing_field'], [9, 'When', 'bad_date'],
    ]);
    const { rows } = await db.pool.query(`
      SELECT source, source_ref, local_hour, age_band, gender, ethnicity, role, person_ref FROM incidents ORDER BY source_ref`);
    expect(rows).toEqual([
      { source: 'hospital_ed', source_ref: 'ED1', local_hour: 23, age_band: '15-17', gender: 'male', ethnicity: 'white', role: 'victim', person_ref: personRef('NHS 123', SECRET) },
      { source: 'hospital_ed', source_ref: 'ED2', local_hour: 23, age_band: '18-24', gender: 'female', ethnicity: 'unknown', role: 'victim', person_ref: personRef('NHS 123', SECRET) },
    ]);
    const everything = JSON.stringify((await db.pool.query('SELECT * FROM incidents')).rows)
      + JSON.stringify((await db.pool.query('SELECT * FROM import_rejects')).rows)
      + JSON.stringify((await db.pool.query('SELECT report FROM import_batches')).rows);
    expect(everything).not.toContain('NHS');
  });

  it('places British National Grid and WGS84 positions of the same points within a metre of each other', async () => {
    const points = [[-2.3589, 51.3813], [-2.4952, 51.3551], [-2.3201, 51.2952]];
    const { rows: grid } = await db.pool.query<{ e: number; n: number }>(`
      SELECT ST_X(p) AS e, ST_Y(p) AS n FROM unnest($1::float8[], $2::float8[]) AS t(lon, lat),
             LATERAL ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 27700) p`,
    [points.map((p) => p[0]), points.map((p) => p[1])]);
    const wgs = ['id,date,time,lon,lat,category', ...points.map((p, i) => `w${i},2025-05-0${i + 1},12:00,${p[0]},${p[1]},robbery`)].join('\n');
    const bng = ['id,date,time,easting,northing,category', ...grid.map((p, i) => `b${i},2025-05-0${i + 1},12:00,${p.e.toFixed(2)},${p.n.toFixed(2)},robbery`)].join('\n');
    expect(await run(wgs, { filename: 'wgs.csv', kind: 'incidents-csv', mapping: { source: 'police' } })).toMatchObject({ accepted: 3 });
    expect(await run(bng, { filename: 'bng.csv', kind: 'incidents-csv', mapping: { source: 'police' } })).toMatchObject({ accepted: 3 });
    const { rows } = await db.pool.query<{ metres: number }>(`
      SELECT ST_Distance(w.geom_bng, b.geom_bng) AS metres FROM incidents w
        JOIN incidents b ON b.source_ref = 'b' || substr(w.source_ref, 2) WHERE w.source_ref LIKE 'w%'`);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.metres).toBeLessThan(1);
  });

  it('names a mapping to columns the file lacks, and a file with no position', async () => {
    await expect(run('a,b\n1,2\n', { filename: 'x.csv', kind: 'incidents-csv', mapping: { columns: { ref: 'Missing' } } }))
      .rejects.toThrow(/mapping: the mapping names columns the file does not have: ref -> "Missing"/);
    await expect(run('id,date,category\n1,2025-01-01,asb\n', { filename: 'x.csv', kind: 'incidents-csv' }))
      .rejects.toThrow(/needs lon and lat/);
  });

  it('reads a stray quote in an unquoted field as text; refuses a file whose quoting breaks, saying where', async () => {
    const csv = 'id,date,lon,lat,category\nq1,2025-05-01,-2.36,51.38,asb\nq2,2025-05-01,-2"36,51.38,asb\nq3,2025-05-02,-2.36,51.38,asb\n';
    const report = await run(csv, { filename: 'q.csv', kind: 'incidents-csv' });
    expect(report).toMatchObject({ read: 3, accepted: 2, rejected: 1, rejectedByReason: { bad_number: 1 } });
    expect(report.rejects[0]).toMatchObject({ row: 3, field: 'lon', reason: 'bad_number', message: '"-2\\"36" is not a number' });
    const broken = 'id,date,lon,lat,category\nq1,2025-05-01,-2.36,51.38,asb\nq2,2025-05-01,"-2.36"x,51.38,asb\nq3,2025-05-02,-2.36,51.38,asb\n';
    await expect(run(broken, { filename: 'q.csv', kind: 'incidents-csv' })).rejects.toThrow(/quoting is broken near line 3 \(a quoted field has text after its closing quote\)/);
    const open = 'id,date,lon,lat,category\nq1,2025-05-01,-2.36,51.38,asb\nq2,2025-05-01,"-2.36,51.38,asb\nq3,2025-05-02,-2.36,51.38,asb\n';
    await expect(run(open, { filename: 'q.csv', kind: 'incidents-csv' })).rejects.toThrow(/quoting is broken near line 3 \(a quoted field is never closed\)/);
    expect((await tableCounts()).incidents).toBe(2);
  });

  it('counts lines across quoted line breaks, mixed line ends and rows cut between chunks', async () => {
    const rows = [
      'id,date,lon,lat,category,note',
      'm1,2025-05-01,-2.36,51.38,asb,"two\r\nlines"',
      'm2,2025-05-01,-2.36,51.38,nonsense,plain',
      'm3,2025-05-02,-2.36,51.38,asb,"three\nshort\rlines"',
      'm4,2025-05-02,-2.36,51.38,,"a ""quoted"" word"',
    ];
    // Line ends: LF, CRLF, CR, then an empty line; m3 starts on line 5 and ends on 7.
    const csv = `${rows[0]}\n${rows[1]}\r\n${rows[2]}\r${rows[3]}\n\n${rows[4]}`;
    const expected = [[4, 'category', 'unknown_category'], [9, 'category', 'missing_field']];
    const whole = await run(csv, { filename: 'm.csv', kind: 'incidents-csv' });
    expect(whole).toMatchObject({ read: 4, accepted: 2, rejected: 2 });
    expect(whole.rejects.map((r) => [r.row, r.field, r.reason])).toEqual(expected);
    // The same bytes three at a time: rows, quotes and "\r\n" pairs are all cut between chunks.
    await db.pool.query('DELETE FROM incidents');
    const bytes = Buffer.from(csv);
    const pieces = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) => bytes.subarray(i * 3, i * 3 + 3));
    const chunked = await run(Buffer.alloc(0), { filename: 'm.csv', kind: 'incidents-csv', input: Readable.from(pieces) });
    expect(chunked).toMatchObject({ read: 4, accepted: 2, rejected: 2 });
    expect(chunked.rejects.map((r) => [r.row, r.field, r.reason])).toEqual(expected);
  });

  it('refuses a row that runs on past a mebibyte (a quote never closed) without reading the rest into memory', async () => {
    const head = Buffer.from('id,date,lon,lat,category\nr1,2025-05-01,-2.36,51.38,"asb\n');
    let sent = 0;
    async function* endless() {
      yield head;
      for (;;) {
        sent += 1;
        yield Buffer.from('r2,2025-05-01,-2.36,51.38,asb\n'.repeat(2000));
      }
    }
    await expect(run(Buffer.alloc(0), { filename: 'open.csv', kind: 'incidents-csv', input: Readable.from(endless()) }))
      .rejects.toThrow(/row starting on line 2 runs past 1,048,576 characters/);
    expect(sent).toBeLessThan(40);
  });
});

describe('GeoJSON', () => {
  const feature = (properties: object, geometry: object | null, extra: object = {}) => ({ type: 'Feature', properties, geometry, ...extra });
  const collection = (...features: object[]) => JSON.stringify({ type: 'FeatureCollection', features });
  const square = (lon: number, lat: number, d = 0.002) => ({
    type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
  });
  const bowtie = { type: 'Polygon', coordinates: [[[-2.36, 51.38], [-2.35, 51.39], [-2.35, 51.38], [-2.36, 51.39], [-2.36, 51.38]]] };

  it('imports incident points, linked to the nearest place, and rejects other geometry', async () => {
    const stairwell = await insertLocation(db.pool, { name: 'Stairwell', kind: 'stairwell', lon: BATH.lon + 0.0005, lat: BATH.lat });
    const file = collection(
      feature({ date: '2025-06-01', time: '21:15', category: 'robbery' }, { type: 'Point', coordinates: [BATH.lon, BATH.lat] }, { id: 'g1' }),
      feature({ date: '2025-06-01', category: 'robbery' }, square(BATH.lon, BATH.lat), { id: 'g2' }),
    );
    const report = await run(file, { filename: 'incidents.geojson', mapping: { source: 'police' } });
    expect(report).toMatchObject({ kind: 'incidents-geojson', accepted: 1, rejected: 1 });
    expect(report.rejects[0]).toMatchObject({ row: 2, field: 'geometry', reason: 'invalid_geometry' });
    const { rows } = await db.pool.query('SELECT source_ref, local_hour, nearest_location_id::int AS place, round(nearest_location_m) AS metres FROM incidents');
    expect(rows).toEqual([{ source_ref: 'g1', local_hour: 21, place: stairwell, metres: 35 }]);
  });

  it('imports places with their kinds, replaces what changed on re-import, and rolls back to the previous version', async () => {
    const version1 = collection(
      feature({ id: 'p1', name: 'Royal Victoria Park', kind: 'Park' }, square(BATH.lon, BATH.lat)),
      feature({ id: 'p2', name: 'Kebab house', kind: 'takeaway' }, { type: 'Point', coordinates: [BATH.lon + 0.01, BATH.lat] }),
      feature({ id: 'p3', name: 'Bow tie', kind: 'park' }, bowtie),
      feature({ id: 'p4', name: 'Nowhere', kind: 'zoo' }, { type: 'Point', coordinates: [BATH.lon, BATH.lat] }),
      feature({ id: 'p5', name: 'Bristol park', kind: 'park' }, square(BRISTOL.lon, BRISTOL.lat)),
    );
    const first = await run(version1, { filename: 'places.geojson' });
    expect(first).toMatchObject({ kind: 'locations-geojson', accepted: 2, updated: 0, outsideDistrict: 1, rejected: 3 });
    expect(first.rejects.map((r) => [r.row, r.reason])).toEqual([[3, 'invalid_geometry'], [4, 'bad_value'], [5, 'outside_district']]);
    expect(first.rejects[0]!.message).toMatch(/Self-intersection/);
    const version2 = collection(
      feature({ id: 'p1', name: 'Royal Victoria Park (east)', kind: 'park' }, square(BATH.lon, BATH.lat)),
      feature({ id: 'p2', name: 'Kebab house', kind: 'takeaway' }, { type: 'Point', coordinates: [BATH.lon + 0.01, BATH.lat] }),
      feature({ id: 'p6', name: 'Stairwell B', kind: 'stairwell' }, { type: 'Point', coordinates: [BATH.lon, BATH.lat + 0.001] }),
    );
    const second = await run(version2, { filename: 'places.geojson' });
    expect(second).toMatchObject({ accepted: 1, updated: 1, duplicates: 1 });
    const names = async () => (await db.pool.query('SELECT name, kind FROM locations_of_concern ORDER BY name')).rows;
    expect(await names()).toEqual([
      { name: 'Kebab house', kind: 'takeaway' }, { name: 'Royal Victoria Park (east)', kind: 'park' }, { name: 'Stairwell B', kind: 'stairwell' },
    ]);
    const rolled = await importsRepository(db.pool).rollback(second.batchId!);
    expect(rolled).toMatchObject({ removed: 1, restored: 1, batch: { status: 'rolled_back', liveRows: 0 } });
    expect(await names()).toEqual([{ name: 'Kebab house', kind: 'takeaway' }, { name: 'Royal Victoria Park', kind: 'park' }]);
    await expect(importsRepository(db.pool).rollback(second.batchId!)).rejects.toThrow(/rolled back; only a committed batch/);
  });

  it('asks for the kind of place when the file does not give one', async () => {
    const file = collection(feature({ site_name: 'A field' }, square(BATH.lon, BATH.lat)));
    await expect(run(file, { filename: 'fields.geojson' })).rejects.toThrow(/say what kind of place/);
    expect(await run(file, { filename: 'fields.geojson', mapping: { kind: 'park' } })).toMatchObject({ accepted: 1 });
  });

  it('imports boundaries and population, and rolls the population back', async () => {
    const areas = collection(
      feature({ wd11cd: 'E05000001', wd11nm: 'North' }, square(BATH.lon, BATH.lat + 0.02, 0.02)),
      feature({ wd11cd: 'E05000002', wd11nm: 'South' }, square(BATH.lon, BATH.lat - 0.02, 0.02)),
      feature({ wd11cd: 'bad code!', wd11nm: 'Odd' }, square(BATH.lon, BATH.lat - 0.05, 0.02)),
    );
    const imported = await run(areas, { filename: 'wards.geojson' });
    expect(imported).toMatchObject({ kind: 'areas-geojson', accepted: 2, rejected: 1, rejectedByReason: { bad_value: 1 } });
    const before = await tableCounts();
    const population = 'Code,Name,All ages,Age 0-9,Age 10-15,Age 16-24\nE05000001,North,5000,600,400,"1,100"\nE05000002,South,x,1,1,1\nE09999999,Elsewhere,10,1,1,1\n';
    const report = await run(population, { filename: 'population.csv' });
    expect(report).toMatchObject({ kind: 'population-csv', updated: 1, rejected: 2, rejectedByReason: { bad_number: 1, unknown_area: 1 } });
    const north = await db.pool.query(`SELECT population, population_10_24 FROM areas WHERE code = 'E05000001'`);
    expect(north.rows[0]).toEqual({ population: 5000, population_10_24: 1500 });
    await importsRepository(db.pool).rollback(report.batchId!);
    const restored = await db.pool.query(`SELECT population, population_10_24 FROM areas WHERE code = 'E05000001'`);
    expect(restored.rows[0]).toEqual({ population: null, population_10_24: null });
    await importsRepository(db.pool).rollback(imported.batchId!);
    expect((await tableCounts()).areas).toBe(before.areas - 2);
  });

  it('never counts a real incident at an invented (demo) place, and still at a real one', async () => {
    const demo = await insertLocation(db.pool, { name: 'Invented park', kind: 'park', lon: BATH.lon, lat: BATH.lat });
    await db.pool.query('UPDATE locations_of_concern SET is_demo = true WHERE id = $1', [demo]);
    const real = await insertLocation(db.pool, { name: 'Real park', kind: 'park', lon: BATH.lon + 0.001, lat: BATH.lat });
    // 10 m from the invented park, 60 m from the real one.
    await run([HEADER, policeRow('r1', '2025-01', BATH.lon + 0.00015, BATH.lat, 'Robbery')].join('\n'), { filename: 'street.csv' });
    const linked = async () => (await db.pool.query(`SELECT nearest_location_id::int AS id FROM incidents WHERE source_ref = 'r1'`)).rows[0].id;
    expect(await linked()).toBe(real);
    // Linking all again (as after a places import) keeps it so; a demo incident there takes the nearer, invented park.
    await db.pool.query(`UPDATE incidents SET is_demo = false`);
    await db.pool.query('SELECT lantern_link_nearest_locations(150)');
    expect(await linked()).toBe(real);
    await db.pool.query(`UPDATE incidents SET is_demo = true WHERE source_ref = 'r1'`);
    await db.pool.query('SELECT lantern_link_nearest_locations(150)');
    expect(await linked()).toBe(demo);
  });

  it('replaces a level\'s areas with a newer set of its boundaries, so no total counts an incident twice; a rollback puts them back', async () => {
    const wards = async () => (await db.pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'ward' ORDER BY code`)).rows.map((row) => row.code);
    const older = await run(collection(
      feature({ wd11cd: 'E05000011', wd11nm: 'Old West' }, square(BATH.lon - 0.03, BATH.lat - 0.01, 0.03)),
      feature({ wd11cd: 'E05000012', wd11nm: 'Old East' }, square(BATH.lon, BATH.lat - 0.01, 0.03)),
    ), { filename: 'wards-2011.geojson' });
    expect(older).toMatchObject({ accepted: 2 });
    await run([HEADER, policeRow('w1', '2025-01', BATH.lon - 0.005, BATH.lat, 'Robbery'), policeRow('w2', '2025-01', BATH.lon + 0.005, BATH.lat, 'Robbery'),
      policeRow('w3', '2025-02', BATH.lon + 0.008, BATH.lat, 'Drugs')].join('\n'), { filename: 'street.csv' });
    const inWards = async () => Number((await db.pool.query(`
      SELECT count(*) FROM incident_areas ia JOIN areas a ON a.id = ia.area_id WHERE a.level = 'ward'`)).rows[0].count);
    expect(await inWards()).toBe(3);

    const newer = await run(collection(feature({ wd19cd: 'E05000021', wd19nm: 'Whole town' }, square(BATH.lon - 0.03, BATH.lat - 0.01, 0.06))), { filename: 'wards-2019.geojson' });
    expect(newer).toMatchObject({ accepted: 1 });
    expect(newer.notes.join(' ')).toMatch(/2 ward area\(s\) not in this file were replaced/);
    expect(await wards()).toEqual(['E05000021']);
    // Each incident in one ward: the wards add up to the district, not to twice it.
    expect(await inWards()).toBe(3);

    const rolled = await importsRepository(db.pool).rollback(newer.batchId!);
    expect(rolled.restored).toBe(2);
    expect(await wards()).toEqual(['E05000011', 'E05000012']);
    expect(await inWards()).toBe(3);
    await importsRepository(db.pool).rollback(older.batchId!);
    expect(await wards()).toEqual([]);
  });

  it('says so when the JSON is broken or has no features', async () => {
    await expect(run('{"type":"FeatureCollection","features":[{"type":"Feature",', { filename: 'cut.geojson', mapping: { kind: 'park' } }))
      .rejects.toThrow(/not valid JSON/);
    await expect(run('{"type":"Feature","properties":{},"geometry":null}', { filename: 'one.geojson', mapping: { kind: 'park' } }))
      .rejects.toThrow(/no features/);
  });
});

describe('places from a CSV (coordinates or a postcode)', () => {
  beforeEach(async () => {
    await db.pool.query('DELETE FROM postcodes');
    await db.pool.query(`INSERT INTO postcodes VALUES ('BA15AQ', ST_SetSRID(ST_MakePoint($1, $2), 4326))`, [BATH.lon + 0.002, BATH.lat]);
  });

  it('places rows by their coordinates, else their postcode (marked approximate), and rejects the rest by line', async () => {
    const file = [
      'fsa_id,name,address,postcode,latitude,longitude',
      `1,All Bar One,"11 High Street, Bath",BA1 5AQ,${BATH.lat},${BATH.lon}`,
      '2,The Postcode Arms,"High Street, Bath",ba1 5aq,,',
      '3,Far Away Inn,"Somewhere",ZZ9 9ZZ,,',
      '4,No Place,"Nowhere",,,',
      `5,Bristol Tavern,"Bristol",BS1 1AA,${BRISTOL.lat},${BRISTOL.lon}`,
    ].join('\n');
    const report = await run(file, { filename: 'open_pubs.csv', mapping: { kind: 'licensed_premises' } });
    expect(report).toMatchObject({ kind: 'locations-csv', detected: true, read: 5, accepted: 2, outsideDistrict: 1, rejected: 3 });
    expect(report.rejects.map((r) => [r.row, r.field, r.reason])).toEqual([
      [4, 'postcode', 'unknown_postcode'], [5, null, 'missing_coordinates'], [6, null, 'outside_district'],
    ]);
    const { rows } = await db.pool.query(`
      SELECT source, source_ref, name, kind, approximate, round(ST_X(geom)::numeric, 4)::float8 AS lon FROM locations_of_concern ORDER BY source_ref`);
    expect(rows).toEqual([
      { source: 'open_pubs', source_ref: '1', name: 'All Bar One', kind: 'licensed_premises', approximate: false, lon: BATH.lon },
      { source: 'open_pubs', source_ref: '2', name: 'The Postcode Arms', kind: 'licensed_premises', approximate: true, lon: BATH.lon + 0.002 },
    ]);
    const rollback = await importsRepository(db.pool).rollback(report.batchId!);
    expect(rollback).toBeTruthy();
    expect((await tableCounts()).locations).toBe(0);
  });

  it('takes each row\'s kind from a column through the mapping\'s values, as the food hygiene register needs', async () => {
    const file = [
      'FHRSID,BusinessName,BusinessType,PostCode,Latitude,Longitude',
      `10,Kebab King,Takeaway/sandwich shop,BA1 5AQ,${BATH.lat},${BATH.lon}`,
      '11,The Bell,Pub/bar/nightclub,BA1 5AQ,,',
      `12,Tea Rooms,Restaurant/Cafe/Canteen,BA1 5AQ,${BATH.lat},${BATH.lon}`,
    ].join('\n');
    const report = await run(file, { filename: 'food_hygiene.csv', kind: 'locations-csv', mapping: { values: { kind: { 'Pub/bar/nightclub': 'licensed_premises' } } } });
    expect(report).toMatchObject({ accepted: 2, rejected: 1 });
    expect(report.rejects[0]).toMatchObject({ row: 4, field: 'BusinessType', reason: 'bad_value' });
    const { rows } = await db.pool.query('SELECT name, kind, approximate FROM locations_of_concern ORDER BY name');
    expect(rows).toEqual([{ name: 'Kebab King', kind: 'takeaway', approximate: false }, { name: 'The Bell', kind: 'licensed_premises', approximate: true }]);
  });

  it('refuses a file with no position and no postcode column, or no kind, before reading its rows', async () => {
    await expect(run('name,kind\nA,park\n', { filename: 'x.csv', kind: 'locations-csv' })).rejects.toThrow(/lon and lat, easting and northing, or a postcode/);
    await expect(run('name,postcode\nA,BA1 5AQ\n', { filename: 'x.csv', kind: 'locations-csv' })).rejects.toThrow(/say what kind of place/);
  });
});

describe('a large first load', () => {
  const indexes = async () => (await db.pool.query<{ definition: string }>(
    `SELECT indexdef AS definition FROM pg_indexes WHERE tablename = 'incidents' ORDER BY indexname`)).rows.map((row) => row.definition);
  const constraints = async () => (await db.pool.query<{ name: string; definition: string }>(`
    SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = 'incidents'::regclass ORDER BY conname`)).rows;
  const bulkFile = (rows: number) => [HEADER, ...Array.from({ length: rows }, (_, i) =>
    policeRow(`bulk${i}`, `2025-0${1 + (i % 9)}`, (BATH.lon + ((i % 101) - 50) * 1e-4).toFixed(6), (BATH.lat + ((i % 97) - 48) * 1e-4).toFixed(6), 'Drugs'))].join('\n');

  it('builds the indexes and keys once after the insert and leaves them as they were', async () => {
    const before = { indexes: await indexes(), constraints: await constraints() };
    expect(before.constraints.map((c) => c.name)).toEqual(expect.arrayContaining(['incidents_batch_id_fkey', 'incidents_source_source_ref_key']));
    // Some rows of the file are already in the table: the bulk path must skip them without the unique key's help.
    await run([HEADER, policeRow('bulk7', '2025-08', BATH.lon, BATH.lat, 'Drugs'), policeRow('bulk70', '2025-08', BATH.lon, BATH.lat, 'Drugs')].join('\n'), { filename: 'early.csv' });
    const rows = BULK_LOAD_MIN_ROWS + 5000;
    const report = await run(bulkFile(rows), { filename: 'bulk.csv' });
    expect(report).toMatchObject({ read: rows, accepted: rows - 2, duplicates: 2, rejected: 0 });
    expect(await indexes()).toEqual(before.indexes);
    expect(await constraints()).toEqual(before.constraints);
    expect((await tableCounts()).incidents).toBe(rows);
    // The rebuilt indexes answer (a map tile's envelope goes through the Web Mercator one).
    const { rows: [near] } = await db.pool.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM incidents
       WHERE geom_3857 && ST_Transform(ST_Expand(ST_SetSRID(ST_MakePoint($1, $2), 4326), 0.0011), 3857)`, [BATH.lon, BATH.lat]);
    expect(near!.n).toBeGreaterThan(0);
    const { rows: [placed] } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM incident_areas');
    expect(placed!.n).toBeGreaterThanOrEqual(rows);
    // The keys put back are enforced again.
    await expect(db.pool.query(`INSERT INTO incidents (source, source_ref, category, occurred_at, geom, age_band)
      SELECT source, source_ref, category, occurred_at, geom, age_band FROM incidents LIMIT 1`)).rejects.toThrow(/unique/);
    await expect(db.pool.query(`UPDATE incidents SET batch_id = -1 WHERE id = (SELECT min(id) FROM incidents)`)).rejects.toThrow(/foreign key/);
    // Importing the same file again adds nothing (an ordinary import: the table is as large as the file).
    expect(await run(bulkFile(rows), { filename: 'bulk-again.csv' })).toMatchObject({ accepted: 0, duplicates: rows });
  });
});

describe('incident age bands', () => {
  it('takes the band from the age, keeps a band given alone, and says unknown for neither', async () => {
    const insert = (age: number | null, band: string | null) => db.pool.query<{ id: string }>(`
      INSERT INTO incidents (source, source_ref, category, occurred_at, geom, age, age_band)
      VALUES ('other', gen_random_uuid()::text, 'asb', now(), ST_SetSRID(ST_MakePoint($1, $2), 4326), $3, $4) RETURNING id`,
    [BATH.lon, BATH.lat, age, band]);
    const band = async (id: string) => (await db.pool.query<{ age_band: string }>('SELECT age_band FROM incidents WHERE id = $1', [id])).rows[0]!.age_band;
    const aged = (await insert(16, null)).rows[0]!.id;
    expect(await band(aged)).toBe('15-17');
    expect(await band((await insert(null, '18-24')).rows[0]!.id)).toBe('18-24');
    expect(await band((await insert(null, null)).rows[0]!.id)).toBe('unknown');
    expect(await band((await insert(30, 'unknown')).rows[0]!.id)).toBe('25-34');
    await db.pool.query('UPDATE incidents SET age = 20 WHERE id = $1', [aged]);
    expect(await band(aged)).toBe('18-24');
  });
});

describe('an import cut off half-way', () => {
  it('leaves every table as it was and lists the failed attempt', async () => {
    await run([HEADER, policeRow('keep1', '2025-01', BATH.lon, BATH.lat, 'Robbery')].join('\n'), { filename: 'first.csv' });
    const before = await tableCounts();
    const rows = Array.from({ length: 20000 }, (_, i) => policeRow(`cut${i}`, '2025-02', BATH.lon, BATH.lat, 'Drugs'));
    const half = Buffer.from([HEADER, ...rows].join('\n'));
    async function* dying() {
      yield half.subarray(0, half.length / 2);
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('connection reset');
    }
    await expect(run(Buffer.alloc(0), { filename: 'cut.csv', input: Readable.from(dying()) })).rejects.toThrow(/could not be read to the end/);
    expect(await tableCounts()).toEqual(before);
    const batches = await importsRepository(db.pool).list();
    expect(batches[0]).toMatchObject({ filename: 'cut.csv', status: 'failed', liveRows: 0 });
    expect(batches[0]!.error).toMatch(/could not be read to the end/);
  });
});

describe('the web upload', () => {
  let app: TestApp;
  let analyst: Session;

  beforeAll(async () => {
    app = await testApp(db.url, { PERSON_REF_SECRET: SECRET });
    analyst = await signIn(app, 'analyst');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('imports with a mapping field and answers the report; batches, rejects and rollback follow', async () => {
    const csv = 'id,date,lon,lat,type\nw1,2025-05-01,-2.36,51.38,robbery\nw2,2025-05-01,51.38,-2.36,robbery\n';
    const response = await analyst.upload('/api/imports?kind=incidents-csv', { name: 'web.csv', content: csv },
      { mapping: JSON.stringify({ source: 'police', columns: { category: 'type' } }) });
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({ kind: 'incidents-csv', filename: 'web.csv', accepted: 1, rejected: 1 });
    const list = (await analyst.get('/api/imports')).json();
    expect(list.batches[0]).toMatchObject({ id: report.batchId, status: 'committed', liveRows: 1, createdBy: analyst.username });
    const rejects = (await analyst.get(`/api/imports/${report.batchId}/rejects`)).json();
    expect(rejects).toEqual({ batchId: report.batchId, total: 1, rejects: [{ row: 3, field: 'lat', reason: 'swapped_coordinates', message: expect.any(String) }] });
    const rollback = await analyst.delete(`/api/imports/${report.batchId}`);
    expect(rollback.statusCode).toBe(200);
    expect(rollback.json()).toMatchObject({ removed: 1, batch: { status: 'rolled_back' } });
    expect((await analyst.delete(`/api/imports/${report.batchId}`)).statusCode).toBe(409);
    const audit = await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE path LIKE '/api/imports%' AND username = $1`, [analyst.username]);
    expect(audit.rows[0].n).toBeGreaterThanOrEqual(2);
  });

  it('answers 400 naming the field for a bad mapping, a bad kind and a file cut off mid-upload', async () => {
    const bad = await analyst.upload('/api/imports', { name: 'x.csv', content: 'a\n1\n' }, { mapping: '{"kind":"pork"}' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^mapping: kind must be one of park/);
    const kind = await analyst.upload('/api/imports?kind=shapefile', { name: 'x.csv', content: 'a\n1\n' });
    expect(kind.statusCode).toBe(400);
    const before = await tableCounts();
    const csv = `${HEADER}\n${Array.from({ length: 500 }, (_, i) => policeRow(`u${i}`, '2025-02', BATH.lon, BATH.lat, 'Drugs')).join('\n')}`;
    const boundary = '----cut';
    const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\n${csv.slice(0, csv.length / 2)}`;
    const cut = await app.inject({
      method: 'POST', url: '/api/imports', payload: truncated,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': analyst.csrf }, cookies: { lantern_session: analyst.token },
    });
    expect(cut.statusCode).toBe(400);
    expect(cut.json().message).toMatch(/^file: /);
    expect(cut.body).not.toMatch(/postgres|relation|SQL/i);
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses a file over the upload limit without writing any of it', async () => {
    const small = await testApp(db.url, { IMPORT_UPLOAD_MAX_MB: 1 });
    try {
      const admin = await signIn(small, 'admin');
      const before = await tableCounts();
      const rows = Array.from({ length: 12000 }, (_, i) => policeRow(`big${i}`, '2025-02', BATH.lon, BATH.lat, 'Drugs'));
      const big = `${HEADER}\n${rows.join('\n')}`;
      expect(big.length).toBeGreaterThan(1024 * 1024);
      const response = await admin.upload('/api/imports', { name: 'big.csv', content: big });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/^file: the file is larger than the upload limit of 1 MB/);
      expect(await tableCounts()).toEqual(before);
    } finally {
      await small.close();
    }
  });
});
