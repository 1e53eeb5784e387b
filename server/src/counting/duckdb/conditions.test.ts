import { listValue } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { columnConditions, DuckParams } from './conditions.js';

describe('the column copy\'s filter conditions', () => {
  it('is the district alone for no filter, "true" for the whole file, with nothing bound', () => {
    const params = new DuckParams();
    expect(columnConditions({}, params)).toBe('in_district');
    expect(columnConditions({ extent: 'all' }, params)).toBe('true');
    expect(params.values).toEqual({});
  });

  it('binds every value as a typed parameter and splices none into the SQL', () => {
    const params = new DuckParams();
    const sql = columnConditions({
      from: '2025-01-01', to: '2025-03-31', hours: [22, 23, 0], weekdays: ['sat', 'sun'], ages: ['15-17'],
      genders: ['female'], categories: ['knife_crime'], locationKinds: ['park'],
    }, params)!;
    for (const value of ['2025', '22', 'female', 'knife_crime', 'park', '15-17']) expect(sql).not.toContain(value);
    // One parameter a value: two dates, three hours, two weekdays, one each of the other four.
    expect(sql.match(/\$p\d+/g)).toHaveLength(11);
    expect(sql).toContain('local_hour IN ($p3, $p4, $p5)');
    expect([params.values.p3, params.values.p4, params.values.p5]).toEqual([22, 23, 0]);
    // ISO weekdays, as PostgreSQL's local_weekday stores them (Monday 1 .. Sunday 7).
    expect(sql).toContain('local_weekday IN ($p6, $p7)');
    expect([params.values.p6, params.values.p7]).toEqual([6, 7]);
    expect(Object.keys(params.types)).toEqual(Object.keys(params.values));
    // Words are compared as the copy's ENUM types, each value cast once.
    expect(sql).toContain('nearest_kind IN (CAST($p11 AS nearest_kind_t))');
    expect(sql).toContain('category IN (CAST($p10 AS category_t))');
  });

  it('tests a filter on areas against the copy\'s area memberships, the id named where it is ambiguous', () => {
    const params = new DuckParams();
    const sql = columnConditions({ areas: ['E05000001', 'E05000002'], ages: ['15-17'] }, params, { id: 'i.id' });
    expect(sql).toContain('i.id IN (SELECT m.incident_id FROM area_members m JOIN areas a ON a.id = m.area_id');
    expect(sql).toContain('list_contains($p2, a.code)');
    expect(sql).not.toContain('E0500');
    expect(params.values.p2).toEqual(listValue(['E05000001', 'E05000002']));
  });
});
