import { parseFilters } from '@lantern/shared';
import { describe, expect, it } from 'vitest';
import { compileFilters, notJudgedQuestions, renderConditions, splitShared } from './conditions.js';

const compiled = (query: Record<string, string>) => {
  const parsed = parseFilters(query);
  if (!parsed.ok) throw new Error('bad filter');
  return compileFilters(parsed.value);
};

describe('the filter compiled once, for every engine', () => {
  it('gives typed conditions: hours across midnight as a list, weekdays as ISO numbers, vocabularies as words', () => {
    expect(compiled({ from: '2025-01-01', to: '2025-03-31', hours: '22-2', weekdays: 'mon,sun', ages: '15-17', categories: 'cse,cce' })).toEqual([
      { kind: 'from', date: '2025-01-01' },
      { kind: 'to', date: '2025-03-31' },
      { kind: 'numbers', column: 'local_hour', values: [0, 1, 22, 23] },
      { kind: 'numbers', column: 'local_weekday', values: [1, 7] },
      { kind: 'words', column: 'age_band', values: ['15-17'] },
      { kind: 'words', column: 'category', values: ['cse', 'cce'] }, // in the vocabulary's order
      { kind: 'in-district' },
    ]);
  });

  it('names areas and place kinds; with no filter, the district alone; with extent=all, nothing', () => {
    expect(compiled({ areas: 'E05001', locationKinds: 'park' })).toEqual([
      { kind: 'areas', codes: ['E05001'] }, { kind: 'place-kinds', kinds: ['park'] }, { kind: 'in-district' },
    ]);
    expect(compiled({})).toEqual([{ kind: 'in-district' }]);
    expect(renderConditions(compiled({ extent: 'all' }), () => 'never')).toBe('true');
  });
});

describe('sources and roles', () => {
  it('are words on their own columns, as any other vocabulary', () => {
    expect(compiled({ sources: 'hospital_ed', roles: 'victim,suspect' })).toEqual([
      { kind: 'words', column: 'source', values: ['hospital_ed'] },
      { kind: 'words', column: 'role', values: ['victim', 'suspect'] },
      { kind: 'in-district' },
    ]);
  });
});

describe('the not-judged counts', () => {
  it('write what every question shares once, and leave each question its own filter and its unknown field', () => {
    const parsed = parseFilters({ from: '2025-01-01', hours: '22-2', ages: '15-17', categories: 'cse' });
    if (!parsed.ok) throw new Error('bad filter');
    const { shared, own } = splitShared(notJudgedQuestions(parsed.value));
    expect(shared).toEqual([
      { kind: 'from', date: '2025-01-01' },
      { kind: 'words', column: 'category', values: ['cse'] },
      { kind: 'in-district' },
    ]);
    expect(own).toEqual([
      { field: 'time', conditions: [{ kind: 'words', column: 'age_band', values: ['15-17'] }, { kind: 'unknown', column: 'local_hour' }] },
      { field: 'age', conditions: [{ kind: 'numbers', column: 'local_hour', values: [0, 1, 22, 23] }, { kind: 'unknown', column: 'age_band' }] },
    ]);
  });

  it('leave a lone question nothing of its own but its unknown field', () => {
    const parsed = parseFilters({ to: '2025-03-31', ages: '18-24' });
    if (!parsed.ok) throw new Error('bad filter');
    const { shared, own } = splitShared(notJudgedQuestions(parsed.value));
    expect(shared).toEqual([{ kind: 'to', date: '2025-03-31' }, { kind: 'in-district' }, { kind: 'unknown', column: 'age_band' }]);
    expect(own).toEqual([{ field: 'age', conditions: [] }]);
  });
});
