import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGE_BAND_IDS, AGE_PRESETS, ageBandOf, CATEGORIES, ETHNICITIES, GENDERS, LOCATION_KINDS, ROLES_IN_INCIDENT } from './vocabulary.js';

describe('age bands', () => {
  it('band ages at their edges', () => {
    const cases: [number | null, string][] = [
      [0, '0-9'], [9, '0-9'], [10, '10-14'], [14, '10-14'], [15, '15-17'], [17, '15-17'], [18, '18-24'],
      [24, '18-24'], [25, '25-34'], [34, '25-34'], [35, '35-49'], [49, '35-49'], [50, '50plus'], [101, '50plus'],
      [null, 'unknown'], [-1, 'unknown'], [121, 'unknown'], [15.5, 'unknown'],
    ];
    for (const [age, band] of cases) expect(ageBandOf(age), String(age)).toBe(band);
  });

  it('presets: under 18 and under 25 are the bands below those ages', () => {
    expect(AGE_PRESETS.find((p) => p.id === 'under18')!.bands).toEqual(['0-9', '10-14', '15-17']);
    expect(AGE_PRESETS.find((p) => p.id === 'under25')!.bands).toEqual(['0-9', '10-14', '15-17', '18-24']);
  });
});

describe('vocabulary and database agree', () => {
  // The migration's CHECK constraints must list exactly the shared vocabulary.
  const sql = readFileSync(new URL('../../server/migrations/0001_core-schema.sql', import.meta.url), 'utf8');
  const checkList = (column: string) => {
    const match = new RegExp(`\\n\\s+${column}\\s[^\\n]*CHECK \\(${column} IN \\(([^)]*)\\)`, 's').exec(sql);
    if (!match) throw new Error(`no CHECK for ${column}`);
    return [...match[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]);
  };
  it.each([
    ['category', CATEGORIES], ['kind', LOCATION_KINDS], ['gender', GENDERS], ['ethnicity', ETHNICITIES],
    ['role', ROLES_IN_INCIDENT], ['age_band', AGE_BAND_IDS],
  ] as const)('%s', (column, values) => {
    expect(checkList(column)).toEqual([...values]);
  });
});
