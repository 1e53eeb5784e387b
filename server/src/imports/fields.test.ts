import { describe, expect, it } from 'vitest';
import {
  britishNationalGrid, parseDateTime, readAge, readAgeBand, readCategory, readEthnicity, readGender, readRole, wgs84,
} from './fields.js';
import { checkGeometry } from './geometry.js';
import { derivedKey } from './incidents.js';
import { datasetName, detectKind } from './pipeline.js';
import { bandsFor10To24 } from './population.js';
import { readKind } from './places.js';
import { detectEncoding } from './text.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const reason = (parsed: object) => ('problem' in parsed ? (parsed as { problem: { reason: string } }).problem.reason : 'ok');

describe('parseDateTime', () => {
  it('reads ISO date-times with and without an offset, and dates without a time', () => {
    expect(parseDateTime('2025-07-01T23:30', 'when', 'dmy', NOW)).toEqual({ value: { local: '2025-07-01 23:30:00', offset: null, precision: 'minute' } });
    expect(parseDateTime('2025-07-01 22:30:15Z', 'when', 'dmy', NOW)).toEqual({ value: { local: '2025-07-01 22:30:15', offset: '+00:00', precision: 'minute' } });
    expect(parseDateTime('2025-07-01T23:30+0100', 'when', 'dmy', NOW)).toMatchObject({ value: { offset: '+01:00' } });
    expect(parseDateTime('2025-07-01', 'when', 'dmy', NOW)).toEqual({ value: { local: '2025-07-01 00:00:00', offset: null, precision: 'day' } });
  });

  it('reads slashed dates in the order given', () => {
    expect(parseDateTime('03/04/2025 16:05', 'when', 'dmy', NOW)).toMatchObject({ value: { local: '2025-04-03 16:05:00' } });
    expect(parseDateTime('03/04/2025 16:05', 'when', 'mdy', NOW)).toMatchObject({ value: { local: '2025-03-04 16:05:00' } });
    expect(parseDateTime('2025/04/03', 'when', 'ymd', NOW)).toMatchObject({ value: { local: '2025-04-03 00:00:00', precision: 'day' } });
  });

  it('refuses what is not a real date or time, two-digit years, the far past and the future', () => {
    expect(reason(parseDateTime('31/02/2025', 'when', 'dmy', NOW))).toBe('bad_date');
    expect(reason(parseDateTime('2025-07-01 24:10', 'when', 'dmy', NOW))).toBe('bad_date');
    expect(reason(parseDateTime('01/02/25', 'when', 'dmy', NOW))).toBe('bad_date');
    expect(reason(parseDateTime('1989-12-31', 'when', 'dmy', NOW))).toBe('bad_date');
    expect(reason(parseDateTime('2026-11-25', 'when', 'dmy', NOW))).toBe('bad_date');
    expect(reason(parseDateTime('yesterday', 'when', 'dmy', NOW))).toBe('bad_date');
    expect(reason(parseDateTime('  ', 'when', 'dmy', NOW))).toBe('missing_field');
    expect(reason(parseDateTime('2025-07-01Z', 'when', 'dmy', NOW))).toBe('bad_date');
  });
});

describe('coordinates', () => {
  it('takes WGS84 in Great Britain and names swapped, missing and grid-looking pairs', () => {
    expect(wgs84('-2.36', '51.38')).toEqual({ value: { x: -2.36, y: 51.38, srid: 4326 } });
    expect(reason(wgs84('51.38', '-2.36'))).toBe('swapped_coordinates');
    expect(reason(wgs84('', ''))).toBe('missing_coordinates');
    expect(reason(wgs84('-2.36', ''))).toBe('missing_coordinates');
    expect(reason(wgs84('375000', '164000'))).toBe('bad_coordinates');
    expect(reason(wgs84('40.7', '-74.0'))).toBe('bad_coordinates');
    expect(reason(wgs84('x', '51'))).toBe('bad_number');
  });

  it('takes British National Grid metres and names swapped pairs', () => {
    expect(britishNationalGrid('375000', '164000')).toEqual({ value: { x: 375000, y: 164000, srid: 27700 } });
    expect(reason(britishNationalGrid('164000', '375000'))).toBe('ok'); // a real place in Wales
    expect(reason(britishNationalGrid('375000', '64000'))).toBe('swapped_coordinates');
    expect(reason(britishNationalGrid('-5', '164000'))).toBe('bad_coordinates');
    expect(reason(britishNationalGrid('', '164000'))).toBe('missing_coordinates');
  });
});

describe('vocabulary', () => {
  it('reads ids, usual words and mapped values; empty is unknown except for a category', () => {
    expect(readGender('F')).toEqual({ value: 'female' });
    expect(readGender('')).toEqual({ value: 'unknown' });
    expect(readGender('Femme', { Femme: 'female' })).toEqual({ value: 'female' });
    expect(reason(readGender('Femme', { Femme: 'woman' }))).toBe('bad_value');
    expect(reason(readGender('blue'))).toBe('bad_value');
    expect(readEthnicity('White: English/Welsh/Scottish/Northern Irish/British')).toEqual({ value: 'white' });
    expect(readEthnicity('Asian/Asian British: Indian')).toEqual({ value: 'asian' });
    expect(readRole('Offender')).toEqual({ value: 'suspect' });
    expect(readCategory('Knife crime')).toEqual({ value: 'knife_crime' });
    expect(readCategory('CSE')).toEqual({ value: 'cse' });
    expect(reason(readCategory(''))).toBe('unknown_category');
    expect(reason(readCategory('Littering'))).toBe('unknown_category');
    expect(readKind('Park and Recreation Ground')).toEqual({ value: 'park' });
    expect(readKind('fast_food')).toEqual({ value: 'takeaway' });
    expect(reason(readKind('P'))).toBe('bad_value');
  });

  it('reads ages and age bands', () => {
    expect(readAge('17')).toEqual({ value: 17 });
    expect(readAge('')).toEqual({ value: null });
    expect(reason(readAge('17.5'))).toBe('bad_number');
    expect(reason(readAge('130'))).toBe('bad_number');
    expect(readAgeBand('18 to 24')).toEqual({ value: '18-24' });
    expect(readAgeBand('50+')).toEqual({ value: '50plus' });
    expect(reason(readAgeBand('16-20'))).toBe('bad_value');
  });
});

describe('geometry checks', () => {
  const square = [[[-2.36, 51.38], [-2.35, 51.38], [-2.35, 51.39], [-2.36, 51.38]]];
  it('accepts closed rings in Great Britain and names what is wrong otherwise', () => {
    expect(reason(checkGeometry({ type: 'Polygon', coordinates: square }, ['Polygon'], 4326))).toBe('ok');
    expect(reason(checkGeometry({ type: 'LineString', coordinates: square[0] }, ['Polygon'], 4326))).toBe('invalid_geometry');
    expect(reason(checkGeometry({ type: 'Polygon', coordinates: [square[0]!.slice(0, 3)] }, ['Polygon'], 4326))).toBe('invalid_geometry');
    expect(reason(checkGeometry({ type: 'Polygon', coordinates: [[...square[0]!.slice(0, 3), [-2.3, 51.3]]] }, ['Polygon'], 4326))).toBe('invalid_geometry');
    expect(reason(checkGeometry({ type: 'Point', coordinates: [51.38, -2.36] }, ['Point'], 4326))).toBe('swapped_coordinates');
    expect(reason(checkGeometry({ type: 'Point', coordinates: [375000, 164000] }, ['Point'], 27700))).toBe('ok');
    expect(reason(checkGeometry(null, ['Point'], 4326))).toBe('missing_coordinates');
  });
});

describe('file recognition', () => {
  it('detects the kind from the first bytes', () => {
    expect(detectKind('Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n', 'x.csv')).toBe('police-uk');
    expect(detectKind('Geog Type,Code,Name,Total usually resident population\n', 'p.csv')).toBe('population-csv');
    expect(detectKind('id,occurred_at,lon,lat,category\n', 'i.csv')).toBe('incidents-csv');
    expect(detectKind('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"lsoa11cd":"E01014370"}', 'a.geojson')).toBe('areas-geojson');
    expect(detectKind('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"date":"2025-01-01","category":"asb"},"geometry":{"type":"Point"', 'i.geojson')).toBe('incidents-geojson');
    expect(detectKind('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"site_name":"Park"}', 'p.geojson')).toBe('locations-geojson');
  });

  it('detects UTF-8 with and without a BOM, falls back to Windows-1252, refuses UTF-16 and binary', () => {
    expect(detectEncoding(Buffer.from('\uFEFFa,b\n', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('caf\u00e9,b\n', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))).toBe('windows-1252');
    expect(() => detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toThrow(/UTF-16/);
    expect(() => detectEncoding(Buffer.from([0x61, 0x00, 0x62]))).toThrow(/NUL/);
  });

  it('finds the age bands that make up 10-24, and only those', () => {
    expect(bandsFor10To24(['Age 0-4', 'Age 5-9', 'Age 10-15', 'Age 16-24', 'Age 25-44'])).toEqual(['Age 10-15', 'Age 16-24']);
    expect(bandsFor10To24(['Age 10-14', 'Age 15 to 19', 'Age 20-24'])).toEqual(['Age 10-14', 'Age 15 to 19', 'Age 20-24']);
    expect(bandsFor10To24(['Age 10-15', 'Age 16-29'])).toBeNull();
  });

  it('keys rows without a reference by their content, and names datasets from files', () => {
    expect(derivedKey(['2025-01', '-2.3', '51.3'])).toBe(derivedKey(['2025-01', '-2.3', '51.3']));
    expect(derivedKey(['2025-01', '-2.3', '51.3'])).not.toBe(derivedKey(['2025-02', '-2.3', '51.3']));
    expect(datasetName('/tmp/My parks (2025).geojson')).toBe('My_parks_2025_');
  });
});
