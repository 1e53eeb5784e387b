import { CATEGORIES, ETHNICITIES, GENDERS, NOT_RECORDED, type AreaSummary, type AreaSummaryRow } from '@lantern/shared';
import { describe, expect, it } from 'vitest';
import { HIDDEN_COLOUR, NONE_COLOUR, breakdownColumns, changeText, choropleth, shown, sortRows } from './measures';

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, 0>;
function area(code: string, episodes: AreaSummaryRow['episodes'], extra: Partial<AreaSummaryRow> = {}): AreaSummaryRow {
  return {
    code, name: `Area ${code}`, population: 1000, population10to24: null,
    episodes, people: episodes, ratePer1000: typeof episodes === 'number' ? episodes : null,
    episodes10to24: 0, rate10to24Per1000: null,
    byCategory: zeroes(CATEGORIES), peopleByCategory: zeroes(CATEGORIES),
    exploitation: { people: 0, both: 0 }, seriousViolence: { episodes: 0, domesticAbuse: 0, domesticAbuseShare: null },
    byGender: zeroes(GENDERS), byEthnicity: zeroes(ETHNICITIES), change: null, trend: [],
    ...extra,
  };
}
const summaryOf = (rows: AreaSummaryRow[]): AreaSummary => ({
  level: 'ward', disclosureControl: true, rule: '', period: null, periodWithData: null, comparison: null, sources: [], trendMonths: [],
  rows, total: { ...area('all', 0), population: null, population10to24: null },
});

describe('choropleth', () => {
  it('classes the numbers shown, greys hidden areas and says so in the legend', () => {
    const result = choropleth(summaryOf([area('a', 0), area('b', 10), area('c', 20), area('d', 40), area('e', 80), area('g', 'c')]), 'episodes');
    expect(result.values.get('g')).toEqual({ colour: HIDDEN_COLOUR, label: 'c' });
    expect(result.classes.at(-1)!.label).toMatch(/Hidden/);
    const colours = ['a', 'b', 'c', 'd', 'e'].map((code) => result.values.get(code)!.colour);
    expect(new Set(colours).size).toBe(5);
    expect(result.values.get('e')!.label).toBe('80');
    // The highest class's label ends at the largest value.
    expect(result.classes[4]!.label).toBe('over 40 to 80');
  });

  it('shows change around zero, and areas with no comparison as such', () => {
    const change = (difference: number | null) => ({ previousEpisodes: 10, previousPeople: 10, difference, percent: null, comparable: true });
    const result = choropleth(summaryOf([
      area('up', 30, { change: change(8) }), area('down', 5, { change: change(-2) }), area('same', 10, { change: change(0) }),
      area('hidden', 'c', { change: change(null) }), area('none', 10),
    ]), 'change');
    expect(result.values.get('same')!.colour).not.toBe(result.values.get('up')!.colour);
    expect(result.values.get('hidden')!.colour).toBe(HIDDEN_COLOUR);
    expect(result.values.get('none')).toEqual({ colour: NONE_COLOUR, label: '–' });
    expect(result.classes.map((c) => c.label)).toContain('No change');
    expect(result.classes.map((c) => c.label)).toContain('No comparison');
  });
});

describe('table text and order', () => {
  it('writes change with its direction in words and symbols, not colour alone', () => {
    expect(changeText({ previousEpisodes: 4, previousPeople: 1, difference: 6, percent: 150, comparable: true })).toBe('▲ +6 (+150%)');
    expect(changeText({ previousEpisodes: 20, previousPeople: 1, difference: -5, percent: -25, comparable: true })).toBe('▼ −5 (−25%)');
    expect(changeText({ previousEpisodes: 0, previousPeople: 0, difference: 2, percent: null, comparable: true })).toBe('▲ +2');
    expect(changeText({ previousEpisodes: 'c', previousPeople: 0, difference: null, percent: null, comparable: true })).toBe('c');
    expect(changeText(null)).toBe('–');
    expect(changeText({ previousEpisodes: 0, previousPeople: 0, difference: null, percent: null, comparable: false })).toBe('no data to compare');
    expect(shown(1234.5)).toBe('1,234.5');
  });

  it('sorts hidden counts below the numbers shown', () => {
    const rows = [area('a', 10), area('b', 'c'), area('c', 5), area('d', 0), area('e', 35)];
    const [episodes] = [{ key: 'episodes', label: 'Episodes', value: (row: AreaSummaryRow) => row.episodes }];
    expect(sortRows(rows, episodes!, 'descending').map((row) => row.code)).toEqual(['e', 'a', 'c', 'd', 'b']);
    expect(sortRows(rows, episodes!, 'ascending').map((row) => row.code)).toEqual(['b', 'd', 'c', 'a', 'e']);
    expect(sortRows(rows, null, 'ascending').map((row) => row.code)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('offers the councillors\' breakdowns as columns', () => {
    expect(breakdownColumns('exploitation').map((c) => c.label)).toEqual(['CSE people', 'CCE people', 'CSE or CCE, counted once', 'In both']);
    expect(breakdownColumns('category', ['cse', 'drugs']).map((c) => c.label)).toEqual(['Child sexual exploitation', 'Drugs']);
    const share = breakdownColumns('violence')[2]!;
    expect(share.text!(area('x', 10, { seriousViolence: { episodes: 20, domesticAbuse: 5, domesticAbuseShare: 25 } }))).toBe('25%');
    expect(share.text!(area('x', 10, { seriousViolence: { episodes: 'c', domesticAbuse: 'c', domesticAbuseShare: null } }))).toBe('c');
  });
});

describe('people not recorded', () => {
  it('are pale and say so in the legend, never a zero', () => {
    const result = choropleth(summaryOf([area('a', 10, { people: NOT_RECORDED }), area('b', 10, { people: 5 })]), 'people');
    expect(result.values.get('a')).toEqual({ colour: NONE_COLOUR, label: 'not recorded' });
    expect(result.classes.at(-1)!.label).toMatch(/Not recorded/);
  });
});
