import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AGE_BAND_IDS, AGE_PRESETS, ageBandOf, CATEGORIES, ETHNICITIES, GENDERS, LOCATION_KINDS, OUTCOMES, outcomeOf, ROLES_IN_INCIDENT, SOURCES,
} from './vocabulary.js';

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
  // The migrations' CHECK constraints (the last one written for each column, up
  // migrations only) must list exactly the shared vocabulary.
  const folder = new URL('../../server/migrations/', import.meta.url);
  const sql = readdirSync(folder).filter((name) => name.endsWith('.sql')).sort()
    .map((name) => readFileSync(new URL(name, folder), 'utf8').split('-- Down Migration')[0]).join('\n');
  const checkList = (column: string) => {
    const matches = [...sql.matchAll(new RegExp(`CHECK \\(${column} IN \\(([^)]*)\\)`, 'g'))];
    if (!matches.length) throw new Error(`no CHECK for ${column}`);
    return [...matches.at(-1)![1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]);
  };
  it.each([
    ['category', CATEGORIES], ['kind', LOCATION_KINDS], ['gender', GENDERS], ['ethnicity', ETHNICITIES],
    ['role', ROLES_IN_INCIDENT], ['age_band', AGE_BAND_IDS], ['source', SOURCES], ['outcome', OUTCOMES],
  ] as const)('%s', (column, values) => {
    expect(checkList(column)).toEqual([...values]);
  });
});

describe('outcomes', () => {
  it('group every police.uk outcome seen in the Avon and Somerset files, and read empty as not recorded', () => {
    const cases: [string, string][] = [
      ['Status update unavailable', 'unavailable'], ['Unable to prosecute suspect', 'unable_to_prosecute'],
      ['', 'unknown'], ['Court result unavailable', 'charged'], ['Investigation complete; no suspect identified', 'no_suspect'],
      ['Awaiting court outcome', 'charged'], ['Further investigation is not in the public interest', 'not_in_public_interest'],
      ['Formal action is not in the public interest', 'not_in_public_interest'], ['Action to be taken by another organisation', 'other_organisation'],
      ['Further action is not in the public interest', 'not_in_public_interest'], ['Local resolution', 'out_of_court'],
      ['Offender given a caution', 'out_of_court'], ['Suspect charged as part of another case', 'charged'],
      ['Offender given a drugs possession warning', 'out_of_court'], ['Under investigation', 'under_investigation'],
      ['Offender sent to prison', 'charged'], ['Defendant found not guilty', 'charged'], ['Something new', 'other'],
    ];
    for (const [text, outcome] of cases) expect(outcomeOf(text), text).toBe(outcome);
  });
});
