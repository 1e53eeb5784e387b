import { describe, expect, it } from 'vitest';
import { describeFilters, describeNotJudged, filtersToSearch, parseFilters, parseHours, serialiseFilters, serialiseHours, type Filters } from './filters.js';

const hours = (text: string) => {
  const parsed = parseHours(text);
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message);
  return parsed.value;
};

describe('hours', () => {
  it('reads a range as start included, end excluded', () => {
    expect(hours('15-19')).toEqual([15, 16, 17, 18]);
    expect(hours('8-15')).toEqual([8, 9, 10, 11, 12, 13, 14]);
  });

  it('wraps midnight when the start is after the end', () => {
    expect(hours('22-4')).toEqual([0, 1, 2, 3, 22, 23]);
    expect(hours('23-0')).toEqual([23]);
    expect(hours('20-24')).toEqual([20, 21, 22, 23]);
  });

  it('reads lists and mixtures, without repeats', () => {
    expect(hours('0,1,2')).toEqual([0, 1, 2]);
    expect(hours('8-10,9,22-1')).toEqual([0, 8, 9, 22, 23]);
    expect(hours('0-24')).toHaveLength(24);
  });

  it('refuses what is not an hour', () => {
    for (const bad of ['24', '25-3', '3-3', '3-25', 'x', '1--2', '']) {
      const parsed = parseHours(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.errors[0]!.field).toBe('hours');
    }
  });

  it('writes the shortest form, wrapping midnight', () => {
    expect(serialiseHours([22, 23, 0, 1, 2, 3])).toBe('22-4');
    expect(serialiseHours([15, 16, 17, 18])).toBe('15-19');
    expect(serialiseHours([20, 21, 22, 23])).toBe('20-24');
    expect(serialiseHours([5])).toBe('5');
    expect(serialiseHours([1, 3, 4])).toBe('1,3-5');
    expect(serialiseHours(Array.from({ length: 24 }, (_, h) => h))).toBe('0-24');
  });

  it('round-trips every preset and many sets', () => {
    for (const text of ['8-15', '15-19', '19-22', '22-4', '6-15', '0', '23', '0-24', '1,3-5,22-24']) {
      expect(hours(serialiseHours(hours(text)))).toEqual(hours(text));
    }
    // Every set of 4 consecutive hours round-trips, including those across midnight.
    for (let start = 0; start < 24; start++) {
      const set = [0, 1, 2, 3].map((i) => (start + i) % 24);
      expect(hours(serialiseHours(set))).toEqual([...set].sort((a, b) => a - b));
    }
  });
});

describe('filters', () => {
  it('parse lists into vocabulary order without repeats', () => {
    const parsed = parseFilters({ weekdays: 'sun,mon,sun', ages: '18-24,15-17', categories: 'robbery,cse' });
    expect(parsed).toEqual({ ok: true, value: { weekdays: ['mon', 'sun'], ages: ['15-17', '18-24'], categories: ['cse', 'robbery'] } });
  });

  it('refuse impossible dates and from after to, naming the field', () => {
    expect(parseFilters({ from: '2025-02-30' })).toMatchObject({ ok: false, errors: [{ field: 'from' }] });
    expect(parseFilters({ from: '2025-03-01', to: '2025-02-01' })).toMatchObject({ ok: false, errors: [{ field: 'to' }] });
    expect(parseFilters({ from: '2025-03-01', to: '2025-03-01' }).ok).toBe(true);
  });

  it('serialise back to the same query and URL', () => {
    const filters: Filters = {
      from: '2024-01-01', to: '2024-12-31', hours: [22, 23, 0, 1, 2, 3], weekdays: ['fri', 'sat'],
      ages: ['0-9', '10-14', '15-17', '18-24'], areas: ['E05001', 'E05002'],
    };
    const query = serialiseFilters(filters);
    expect(query).toEqual({
      from: '2024-01-01', to: '2024-12-31', hours: '22-4', weekdays: 'fri,sat',
      ages: '0-9,10-14,15-17,18-24', areas: 'E05001,E05002',
    });
    const back = parseFilters(query);
    expect(back.ok && back.value).toEqual({ ...filters, hours: [0, 1, 2, 3, 22, 23] });
    expect(filtersToSearch(filters)).toBe(
      'from=2024-01-01&to=2024-12-31&hours=22-4&weekdays=fri,sat&ages=0-9,10-14,15-17,18-24&areas=E05001,E05002');
    expect(filtersToSearch({})).toBe('');
  });
});

describe('filters in words', () => {
  it('names every filter set, with hours as local clock ranges', () => {
    expect(describeFilters({})).toEqual([]);
    expect(describeFilters({ categories: ['cse', 'cce'], ages: ['10-14', '50plus'], hours: [22, 23, 0, 1, 2, 3], weekdays: ['fri', 'sat'] })).toEqual([
      'Categories: Child sexual exploitation, Child criminal exploitation',
      'Ages: 10-14, 50+',
      'Hours (local): 22:00-03:59',
      'Weekdays: Fri, Sat',
    ]);
    expect(describeFilters({ hours: [8, 15, 16] })).toEqual(['Hours (local): 08:00-08:59, 15:00-16:59']);
  });
});

describe('sources and roles', () => {
  it('read in the vocabulary order, write back the same, and say what they are in words', () => {
    const parsed = parseFilters({ sources: 'hospital_ed,police', roles: 'suspect,victim' });
    expect(parsed).toEqual({ ok: true, value: { sources: ['police', 'hospital_ed'], roles: ['victim', 'suspect'] } });
    const filters = (parsed as { value: Filters }).value;
    expect(filtersToSearch(filters)).toBe('sources=police,hospital_ed&roles=victim,suspect');
    expect(describeFilters(filters)).toEqual(['Sources: Police records, Hospital emergency department', 'Roles: Victim, Suspect']);
  });
});

describe('what a filter could not judge, in words', () => {
  it('names each field with a count, and nothing for none', () => {
    expect(describeNotJudged({ time: 9400, age: 1 })).toEqual([
      '9,400 incidents with no time of day (police.uk publishes months only) left out by the time filter',
      '1 incident with no age recorded left out by the age filter',
    ]);
    expect(describeNotJudged({ time: 0 })).toEqual([]);
    expect(describeNotJudged(undefined)).toEqual([]);
  });
});

describe('the area counted', () => {
  it('is the district unless the filter asks for whole force files too, which it says in words', () => {
    expect(parseFilters({ extent: 'district' })).toEqual({ ok: true, value: {} });
    const all = parseFilters({ extent: 'all', categories: 'drugs' });
    expect(all.ok && filtersToSearch(all.value)).toBe('categories=drugs&extent=all');
    expect(all.ok && describeFilters(all.value)).toContain('Including incidents outside the district (whole force files)');
    expect(parseFilters({ extent: 'force' as 'all' })).toEqual({ ok: false, errors: [{ field: 'extent', message: '"force" is neither district nor all' }] });
  });
});
