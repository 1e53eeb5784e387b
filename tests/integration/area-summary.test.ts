// Area summaries against a hand-built dataset: episodes and people, the CSE/CCE overlap
// counted once, the domestic-abuse share of serious violence, gender and ethnicity,
// rates per 1,000 (all ages and aged 10-24), change against the previous period and the
// same period last year, the monthly trend, the CSV export, and what a panel member gets.
import { CATEGORIES, MAXIMUM_PERTURBATION, type AreaSummary, type AreaSummaryRow } from '@lantern/shared';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, type IncidentRow } from '../helpers/fixtures.js';

const NORTH = { lon: -2.36, lat: 51.40 };
const SOUTH = { lon: -2.36, lat: 51.37 };
let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let analyst: Session;
let panel: Session;

const repeat = (n: number, row: IncidentRow): IncidentRow[] => Array.from({ length: n }, () => ({ ...row }));

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'ward', code: 'W01', name: 'North', ...NORTH });
  await insertArea(db.pool, { level: 'ward', code: 'W02', name: 'South', ...SOUTH });
  await db.pool.query(`UPDATE areas SET population_10_24 = CASE code WHEN 'W01' THEN 200 ELSE 100 END`);
  const march = '2025-03-10 20:00';
  await insertIncidents(db.pool, [
    // North, March 2025: 10 episodes, 6 people (one incident with no person).
    ...repeat(2, { ...NORTH, local: march, category: 'cse', person: 'a', age: 15, gender: 'female', ethnicity: 'white' }),
    { ...NORTH, local: march, category: 'cce', person: 'a', age: 15, gender: 'female', ethnicity: 'white' },
    { ...NORTH, local: march, category: 'cse', person: 'b', age: 14, gender: 'female', ethnicity: 'mixed' },
    { ...NORTH, local: march, category: 'cce', person: 'c', age: 16, gender: 'male', ethnicity: 'black' },
    { ...NORTH, local: march, category: 'domestic_abuse', person: 'd', age: 30, gender: 'female', ethnicity: 'white' },
    ...repeat(2, { ...NORTH, local: march, category: 'serious_violence', person: 'e', age: 17, gender: 'male', ethnicity: 'asian' }),
    { ...NORTH, local: march, category: 'knife_crime', person: 'f', age: 22, gender: 'male', ethnicity: 'white' },
    { ...NORTH, local: march, category: 'robbery', person: null },
    // South, March 2025: person a again (one child in two areas), and g.
    { ...SOUTH, local: '2025-03-20 16:00', category: 'cse', person: 'a', age: 15, gender: 'female', ethnicity: 'white' },
    { ...SOUTH, local: '2025-03-21 16:00', category: 'asb', person: 'g', age: 40, gender: 'male', ethnicity: 'white' },
    // Outside both wards: counted nowhere.
    { lon: -2.10, lat: 51.20, local: march, category: 'cse', person: 'z' },
    // February 2025 (previous month): 4 in North.
    ...repeat(4, { ...NORTH, local: '2025-02-14 12:00', category: 'serious_violence', person: 'h' }),
    // March 2024 (a year before): 5 in North, 1 in South. Outside the 12-month trend.
    ...repeat(5, { ...NORTH, local: '2024-03-05 12:00', category: 'drugs', person: 'x' }),
    { ...SOUTH, local: '2024-03-31 23:30', category: 'drugs', person: 'y' },
  ]);
  app = await testApp(db.url);
  [analyst, panel] = await Promise.all([signIn(app, 'analyst'), signIn(app, 'panel')]);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function summary(session: Session, query: string): Promise<AreaSummary> {
  const response = await session.get(`/api/areas/summary?level=ward&${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const row = (result: AreaSummary, name: string): AreaSummaryRow => result.rows.find((r) => r.name === name)!;
const MARCH = 'from=2025-03-01&to=2025-03-31';

/** The header block (label -> text) and the table after the blank line. */
function readCsv(body: string) {
  const records = parse(body, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  const blank = records.findIndex((record) => record.length === 1 && record[0] === '');
  const block = records.slice(0, blank);
  const header = Object.assign(block, { get: (label: string) => block.find((record) => record[0] === label)?.[1] });
  return { header, table: records.slice(blank + 1).filter((record) => record.length > 1) };
}

describe('area summary, exact (analyst)', () => {
  it('counts episodes and people side by side, people once per area and once in the district', async () => {
    const result = await summary(analyst, MARCH);
    expect(result.disclosureControl).toBe(false);
    expect(result.period).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    expect(row(result, 'North')).toMatchObject({ episodes: 10, people: 6, population: 1000, population10to24: 200 });
    expect(row(result, 'South')).toMatchObject({ episodes: 2, people: 2 });
    // The district: 12 episodes (the one outside both wards is not in any area); person a
    // is in both wards but one person.
    expect(result.total).toMatchObject({ episodes: 12, people: 7, population: 2000, population10to24: 300 });
  });

  it('counts nothing, not nothing known, in a period without incidents', async () => {
    const result = await summary(analyst, 'from=2019-01-01&to=2019-01-31&compare=previous');
    expect(result.total).toMatchObject({ episodes: 0, people: 0, episodes10to24: 0 });
    expect(row(result, 'North')).toMatchObject({ episodes: 0, people: 0 });
  });

  it('counts a child in both CSE and CCE once, and says how many are in both', async () => {
    const result = await summary(analyst, MARCH);
    const north = row(result, 'North');
    expect(north.byCategory).toMatchObject({ cse: 3, cce: 2 });
    expect(north.peopleByCategory).toMatchObject({ cse: 2, cce: 2 });
    expect(north.exploitation).toEqual({ people: 3, both: 1 });
    // District: a (in both wards, both groups), b, c.
    expect(result.total.peopleByCategory).toMatchObject({ cse: 2, cce: 2 });
    expect(result.total.exploitation).toEqual({ people: 3, both: 1 });
  });

  it('gives the domestic-abuse share of serious violence, gender and ethnicity', async () => {
    const north = row(await summary(analyst, MARCH), 'North');
    // Serious violence 2 + knife crime 1 + domestic abuse 1 = 4; domestic abuse 25%.
    expect(north.seriousViolence).toEqual({ episodes: 4, domesticAbuse: 1, domesticAbuseShare: 25 });
    expect(north.byGender).toEqual({ female: 5, male: 4, other: 0, unknown: 1 });
    expect(north.byEthnicity).toEqual({ white: 5, mixed: 1, black: 1, asian: 2, other: 0, unknown: 1 });
  });

  it('gives rates per 1,000 residents, and for ages 10-24 per 1,000 residents aged 10-24', async () => {
    const result = await summary(analyst, MARCH);
    const north = row(result, 'North');
    expect(north.ratePer1000).toBe(10);
    // a x3 (15), b (14), c (16), e x2 (17), f (22) = 8 episodes; 8 / 200 residents aged 10-24.
    expect(north.episodes10to24).toBe(8);
    expect(north.rate10to24Per1000).toBe(40);
    expect(result.total.ratePer1000).toBe(6);
    expect(result.total.episodes10to24).toBe(9);
    expect(result.total.rate10to24Per1000).toBe(30);
  });

  it('compares with the previous month and with the same month last year', async () => {
    const previous = await summary(analyst, `${MARCH}&compare=previous`);
    expect(previous.comparison).toEqual({ kind: 'previous', from: '2025-02-01', to: '2025-02-28', covered: true });
    expect(row(previous, 'North').change).toEqual({ previousEpisodes: 4, previousPeople: 1, difference: 6, percent: 150, comparable: true });
    expect(row(previous, 'South').change).toEqual({ previousEpisodes: 0, previousPeople: 0, difference: 2, percent: null, comparable: true });
    const lastYear = await summary(analyst, `${MARCH}&compare=last_year`);
    expect(lastYear.comparison).toEqual({ kind: 'last_year', from: '2024-03-01', to: '2024-03-31', covered: true });
    expect(row(lastYear, 'North').change).toMatchObject({ previousEpisodes: 5, difference: 5, percent: 100 });
    expect(row(lastYear, 'South').change).toMatchObject({ previousEpisodes: 1, difference: 1, percent: 100 });
    expect(lastYear.total.change).toMatchObject({ previousEpisodes: 6, difference: 6, percent: 100 });
    expect((await summary(analyst, MARCH)).comparison).toBeNull();
  });

  it('compares a period running past the data like for like, and says when there is no data to compare', async () => {
    // March to May 2025 with data to 31 March: March against February, not against December-February.
    const pastTheEnd = await summary(analyst, 'from=2025-03-01&to=2025-05-31&compare=previous');
    expect(pastTheEnd.periodWithData).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    expect(pastTheEnd.comparison).toEqual({ kind: 'previous', from: '2025-02-01', to: '2025-02-28', covered: true });
    expect(row(pastTheEnd, 'North').change).toEqual({ previousEpisodes: 4, previousPeople: 1, difference: 6, percent: 150, comparable: true });
    // February 2024 is before the data (from March 2024): not a rise from nothing.
    const before = await summary(analyst, 'from=2024-03-01&to=2024-03-31&compare=previous');
    expect(before.comparison).toMatchObject({ from: '2024-02-01', to: '2024-02-29', covered: false });
    expect(row(before, 'North').change).toMatchObject({ difference: null, percent: null, comparable: false });
    expect(before.total.change).toMatchObject({ difference: null, comparable: false });
    const csv = await analyst.get('/api/areas/summary.csv?level=ward&from=2024-03-01&to=2024-03-31&compare=previous');
    expect(csv.body).toContain('no data to compare');
  });

  it('draws a trend of the twelve months ending with the period', async () => {
    const result = await summary(analyst, `${MARCH}&categories=serious_violence,cse`);
    expect(result.trendMonths).toHaveLength(12);
    expect(result.trendMonths[0]).toBe('2024-04');
    expect(result.trendMonths[11]).toBe('2025-03');
    // Filters other than the period apply to the trend: serious violence and CSE only.
    expect(row(result, 'North').trend.slice(-2)).toEqual([4, 5]);
    expect(row(result, 'South').trend.slice(-2)).toEqual([0, 1]);
    expect(result.total.trend.slice(-2)).toEqual([4, 6]);
    expect(result.total.trend.slice(0, 10).every((value) => value === 0)).toBe(true);
  });

  it('turns away a comparison it does not know, naming the field', async () => {
    const response = await analyst.get('/api/areas/summary?level=ward&compare=last_week');
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('compare');
  });
});

describe('which area holds each incident (incident_areas, kept by triggers)', () => {
  it('follows areas added, redrawn and removed after the incidents, and incidents added after the areas', async () => {
    // A ward drawn over North after the incidents were loaded, with a lower code: an
    // incident is in one area of a level, the lowest-coded that holds it, so it takes them.
    await insertArea(db.pool, { level: 'ward', code: 'W00', name: 'Early', ...NORTH });
    let now = await summary(analyst, MARCH);
    expect(row(now, 'Early')).toMatchObject({ episodes: 10, people: 6 });
    expect(row(now, 'North').episodes).toBe(0);
    // Redrawn over South: North has its incidents back, Early takes South's.
    await db.pool.query(`UPDATE areas SET geom = (SELECT geom FROM areas WHERE code = 'W02') WHERE code = 'W00'`);
    now = await summary(analyst, MARCH);
    expect(row(now, 'Early')).toMatchObject({ episodes: 2, people: 2 });
    expect(row(now, 'North').episodes).toBe(10);
    expect(row(now, 'South').episodes).toBe(0);
    // A new incident in South counts once, in the lower-coded ward over it.
    await insertIncidents(db.pool, [{ ...SOUTH, local: '2025-03-25 10:00', category: 'drugs', person: 'q', ref: 'late-1' }]);
    now = await summary(analyst, MARCH);
    expect([row(now, 'Early').episodes, row(now, 'South').episodes]).toEqual([3, 0]);
    // Removed: the incident and the ward go; South has its own back; nothing is left pointing at them.
    await db.pool.query(`DELETE FROM incidents WHERE source_ref = 'late-1'`);
    await db.pool.query(`DELETE FROM areas WHERE code = 'W00'`);
    const back = await summary(analyst, MARCH);
    expect(back.rows.map((r) => r.code)).toEqual(['W01', 'W02']);
    expect(row(back, 'South').episodes).toBe(2);
    const { rows } = await db.pool.query(`SELECT
      (SELECT count(*)::int FROM incident_areas ia WHERE NOT EXISTS (
         SELECT 1 FROM areas a JOIN incidents i ON ST_Intersects(a.geom, i.geom) WHERE a.id = ia.area_id AND i.id = ia.incident_id)) AS stray,
      (SELECT count(*)::int FROM (SELECT ia.incident_id FROM incident_areas ia JOIN areas a ON a.id = ia.area_id
                                   GROUP BY ia.incident_id, a.level HAVING count(*) > 1) twice) AS twice`);
    expect(rows[0]).toEqual({ stray: 0, twice: 0 });
  });
});

describe('area summary for a panel member', () => {
  it('shows no count of 1-4 anywhere, adds up as shown, and derives rates and change from the counts shown', async () => {
    const result = await summary(panel, `${MARCH}&compare=previous`);
    const exact = await summary(analyst, `${MARCH}&compare=previous`);
    expect(result.disclosureControl).toBe(true);
    expect(result.rule).toMatch(/perturbed/);
    const numbers: number[] = [];
    const walk = (value: unknown, key = ''): void => {
      if (typeof value === 'number' && !/population|rate|percent|share|difference/i.test(key)) numbers.push(value);
      else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
    };
    walk(result.rows);
    walk(result.total);
    expect(numbers.filter((n) => n >= 1 && n <= 4)).toEqual([]);
    const total = (values: Record<string, unknown>) => Object.values(values).reduce<number>((sum, value) => sum + (value as number), 0);
    for (const area of [...result.rows, result.total]) {
      // Every table adds up as shown: categories, genders and ethnic groups to the episodes.
      expect(total(area.byCategory)).toBe(area.episodes);
      expect(total(area.byGender)).toBe(area.episodes);
      expect(total(area.byEthnicity)).toBe(area.episodes);
      expect(area.ratePer1000).toBe(Math.round(((area.episodes as number) / area.population!) * 10_000) / 10);
      expect(area.change!.difference).toBe((area.episodes as number) - (area.change!.previousEpisodes as number));
    }
    // The district's additive counts are the sums of the areas'.
    expect(result.total.episodes).toBe(result.rows.reduce((sum, area) => sum + (area.episodes as number), 0));
    expect(result.total.byCategory.cse).toBe(result.rows.reduce((sum, area) => sum + (area.byCategory.cse as number), 0));
    // Close to the truth: no count moves by more than the published maximum.
    const north = row(result, 'North');
    for (const category of CATEGORIES) {
      expect(Math.abs((north.byCategory[category] as number) - (row(exact, 'North').byCategory[category] as number))).toBeLessThanOrEqual(MAXIMUM_PERTURBATION);
    }
  });

  it('turns away a panel member\'s period that is not whole months, naming the field', async () => {
    const response = await panel.get('/api/areas/summary?level=ward&from=2025-03-02&to=2025-03-31');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'from', message: expect.stringMatching(/^from: panel members choose whole months/) });
    expect((await analyst.get('/api/areas/summary?level=ward&from=2025-03-02&to=2025-03-31')).statusCode).toBe(200);
  });

  it('analysts preview exactly what the panel member gets', async () => {
    const preview = await summary(analyst, `${MARCH}&compare=previous&preview=panel`);
    const panelView = await summary(panel, `${MARCH}&compare=previous`);
    expect(preview).toEqual(panelView);
  });
});

describe('area summary CSV', () => {
  it('starts with a header block, then the district and each area', async () => {
    const response = await analyst.get(`/api/areas/summary.csv?level=ward&${MARCH}&compare=previous&categories=cse,cce,serious_violence,knife_crime,domestic_abuse,robbery,asb`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toContain('lantern-ward-summary-2025-03-01-to-2025-03-31.csv');
    const { header, table } = readCsv(response.body);
    expect(header[0]).toEqual(['Lantern area summary']);
    expect(header.get('Geography')).toBe('Ward (2 areas)');
    expect(header.get('Period')).toBe('March 2025 (2025-03-01 to 2025-03-31)');
    expect(header.get('Compared with')).toBe('Previous period: February 2025 (2025-02-01 to 2025-02-28)');
    expect(header.get('Filters')).toContain('Categories: Child sexual exploitation');
    expect(header.get('Suppression')).toContain('Exact counts');
    expect(header.get('Definitions')).toContain('"people" are distinct pseudonymous persons');
    expect(header.get('Generated')).toMatch(/by .+ \(analyst\)$/);
    const [heading, district, ...areas] = table;
    const at = (cells: string[], name: string) => cells[heading!.indexOf(name)];
    expect(at(district!, 'Area name')).toBe('District total');
    expect(at(district!, 'Episodes')).toBe('12');
    expect(at(district!, 'People')).toBe('7');
    expect(at(district!, 'CSE or CCE: people (overlap once)')).toBe('3');
    expect(areas.map((cells) => at(cells, 'Area code'))).toEqual(['W01', 'W02']);
    expect(at(areas[0]!, 'Change in episodes')).toBe('6');
    expect(at(areas[0]!, 'Domestic abuse share of serious violence %')).toBe('25');
    expect(at(areas[0]!, 'Episodes 2025-03')).toBe('10');
  });

  it('writes the figures the panel member sees in their file, and no count of 1-4', async () => {
    const response = await panel.get(`/api/areas/summary.csv?level=ward&${MARCH}`);
    expect(response.statusCode).toBe(200);
    const { header, table } = readCsv(response.body);
    expect(header.get('Suppression')).toMatch(/perturbed/);
    const heading = table[0]!;
    const shown = await summary(panel, MARCH);
    const north = table.find((cells) => cells[1] === 'North')!;
    expect(north[heading.indexOf('Child sexual exploitation: episodes')]).toBe(String(row(shown, 'North').byCategory.cse));
    const countColumns = heading.map((name, index) => ({ name, index }))
      .filter(({ name }) => !/Residents|per 1,000|%|Area/i.test(name));
    for (const cells of table.slice(1)) {
      for (const { index } of countColumns) expect(cells[index], heading[index]).not.toMatch(/^[1-4]$/);
    }
    const audit = await db.pool.query(`SELECT action FROM audit_log WHERE action LIKE '%summary.csv%'`);
    expect(audit.rowCount).toBeGreaterThan(0);
  });
});

describe('what the filters could not judge', () => {
  it('is given with the summary, exactly to analysts and perturbed to the panel, and in the CSV', async () => {
    const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents
      WHERE gender = 'unknown' AND local_date BETWEEN '2025-03-01' AND '2025-03-31'`);
    expect(rows[0]!.n).toBeGreaterThan(0);
    const exact = await summary(analyst, `${MARCH}&genders=female`);
    expect(exact.notJudged).toEqual({ gender: rows[0]!.n });
    const shown = (await summary(panel, `${MARCH}&genders=female`)).notJudged!.gender!;
    expect(shown === 0 || shown >= 5).toBe(true);
    expect(Math.abs(shown - rows[0]!.n)).toBeLessThanOrEqual(4);
    expect((await summary(analyst, MARCH)).notJudged).toEqual({});
    const csv = (await analyst.get(`/api/areas/summary.csv?level=ward&${MARCH}&genders=female`)).body;
    expect(csv).toContain(`Not judged,${rows[0]!.n} incident${rows[0]!.n === 1 ? '' : 's'} with no gender recorded left out by the gender filter`);
  });
});

describe('people and ages where no record names a person or an age', () => {
  it('are "not recorded", never 0, for analysts and the panel alike, with the 10-24 rate; a true zero stays 0', async () => {
    // South in April 2025: six incidents with no person and no age (as police.uk publishes them); North none.
    await insertIncidents(db.pool, Array.from({ length: 6 }, () => ({ ...SOUTH, local: '2025-04-10 12:00', person: null, age: null })));
    for (const session of [analyst, panel]) {
      const result = await summary(session, 'from=2025-04-01&to=2025-04-30');
      expect(row(result, 'South').episodes).not.toBe(0);
      expect(row(result, 'South').people).toBe('not recorded');
      expect(row(result, 'South').peopleByCategory.serious_violence).toBe('not recorded');
      expect(row(result, 'South')).toMatchObject({ episodes10to24: 'not recorded', rate10to24Per1000: null });
      expect(row(result, 'North').people).toBe(0);
      expect(row(result, 'North').episodes10to24).toBe(0);
    }
    const csv = (await analyst.get('/api/areas/summary.csv?level=ward&from=2025-04-01&to=2025-04-30')).body;
    expect(csv).toMatch(/South,[^\n]*not recorded/);
    // Episodes involving 10-24s and their rate per 1,000 both read "not recorded".
    expect(csv).toMatch(/South,[^\n]*,not recorded,not recorded/);
  });
});
