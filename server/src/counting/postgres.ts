// PostgreSQL as a counting engine (counting/counter.ts): answers every question, each
// one statement over the incidents table. The statements both engines run are written
// once beside their resource (repositories/*.ts) and rendered here with the filter's
// PostgreSQL conditions (sql/filters.ts).
import type { DateRange, PeopleRepeats } from '@lantern/shared';
import type { Queryable } from '../plugins/database.js';
import { BINNED_POINTS_SQL, BINNED_SQL, SNAPPED_POINTS_SQL, type BinnedRow } from '../repositories/hotspots.js';
import { HEXAGON_COUNTS_SQL, hexagonCountsFromRows, MONTHS_ONLY_SQL, POINTS_SQL, PROFILE_SQL, profileFromRows, TILE_INCIDENTS_SQL, type ProfileRow } from '../repositories/incidents.js';
import { PLACE_COUNTS_SQL, type PlaceCounts } from '../repositories/locations.js';
import { INCIDENT_TOTALS_SQL, incidentTotalsOf } from '../repositories/meta.js';
import { JOINED_SQL, SUMMARY_SQL, type AreaCountRows } from '../repositories/summaries.js';
import {
  GROUP_INCIDENTS_SQL, GROUP_UNKNOWN_TIME_SQL, PEOPLE_FLOW_SQL, REPEAT_PLACES_SQL, REPEATS_SQL, SOURCES_SQL, STEPS,
  type GroupIncidents, type PeopleFlowRow, type RepeatsRow, type SourcesRow,
} from '../repositories/people.js';
import { incidentConditions, postgresConditions, SqlParams } from '../sql/filters.js';
import { countsAtPlace } from '../sql/places.js';
import { NOT_JUDGED_SQL, notJudgedOf, notJudgedQuestions, splitShared } from './conditions.js';
import type { IncidentCounter } from './counter.js';

export function postgresCounter(db: Queryable): IncidentCounter {
  return {
    async hexagonCounts(filters) {
      const params = new SqlParams();
      const { rows } = await db.query<number[]>({
        text: HEXAGON_COUNTS_SQL(incidentConditions(filters, params)), values: params.values, rowMode: 'array',
      });
      return hexagonCountsFromRows(rows);
    },

    async hourWeekdayProfile(filters, near) {
      const params = new SqlParams();
      let where = incidentConditions(filters, params);
      if (near) where += `\n  AND ${countsAtPlace(`${params.add(near.locationId)}::bigint`, near.radius, `${params.add(near.radius)}::float8`)}`;
      return profileFromRows((await db.query<ProfileRow>(PROFILE_SQL(where), params.values)).rows);
    },

    async tileIncidents(filters, { z, x, y }, limit) {
      const params = new SqlParams();
      const sql = TILE_INCIDENTS_SQL(incidentConditions(filters, params), params.add(z), params.add(x), params.add(y), params.add(limit));
      const { rows } = await db.query<{ id: string }>(sql, params.values);
      return rows.map((row) => Number(row.id));
    },

    async notJudged(filters) {
      const questions = notJudgedQuestions(filters);
      if (questions.length === 0) return { counts: {}, keys: {} };
      const params = new SqlParams();
      const { shared, own } = splitShared(questions);
      const parts = own.map(({ field, conditions }) => ({ field, where: postgresConditions(conditions, params) }));
      const sql = NOT_JUDGED_SQL(postgresConditions(shared, params), parts);
      return notJudgedOf((await db.query(sql, params.values)).rows[0]!, parts.map((part) => part.field));
    },

    async placeCounts(filters, previous, radius) {
      const params = new SqlParams();
      const sql = PLACE_COUNTS_SQL(incidentConditions(filters, params), previous && incidentConditions(previous, params),
        radius, `${params.add(radius)}::float8`);
      const { rows } = await db.query<number[]>({ text: sql, values: params.values, rowMode: 'array' });
      const column = (k: number) => rows.map((row) => Number(row[k]));
      return {
        ids: column(0), episodes: column(1), people: column(2), harm: column(3),
        timeUnknown: column(4), previousEpisodes: column(5), previousHarm: column(6),
      } satisfies PlaceCounts;
    },

    async areaCounts({ level, filters, period, comparison, trend, young }) {
      const params = new SqlParams();
      // Dates are decided per count; every other filter applies to all of them.
      const where = incidentConditions(filters, params);
      const between = (range: DateRange | null) => (range
        ? `(i.local_date BETWEEN ${params.add(range.from)}::date AND ${params.add(range.to)}::date)`
        : 'false');
      const [inPeriod, inComparison, inTrend] = [between(period), between(comparison), between(trend)];
      const sql = SUMMARY_SQL(JOINED_SQL(`${where} AND (${inPeriod} OR ${inComparison} OR ${inTrend})`,
        params.add(level), inPeriod, inComparison, params.add(trend?.from ?? '1970-01-01'), params.add(young)));
      return (await db.query<AreaCountRows>(sql, params.values)).rows[0]!;
    },

    async binned(size, filters, boundaries) {
      const params = new SqlParams();
      if (!boundaries) {
        const where = incidentConditions(filters, params);
        return (await db.query<BinnedRow>(BINNED_SQL(BINNED_POINTS_SQL(where, null), params.add(size)), params.values)).rows;
      }
      const where = incidentConditions({ ...filters, from: boundaries[0], to: undefined }, params);
      const end = params.add(boundaries[boundaries.length - 1]);
      const points = BINNED_POINTS_SQL(`${where} AND i.local_date < ${end}::date`, params.add(boundaries));
      return (await db.query<BinnedRow>(BINNED_SQL(points, params.add(size)), params.values)).rows;
    },

    async snappedPoints(filters) {
      const params = new SqlParams();
      const { rows } = await db.query<{ x: number; y: number; count: number; harm: number }>(
        SNAPPED_POINTS_SQL(incidentConditions(filters, params)), params.values);
      return { x: rows.map((r) => r.x), y: rows.map((r) => r.y), count: rows.map((r) => r.count), harm: rows.map((r) => r.harm) };
    },

    async incidentTotals() {
      return incidentTotalsOf((await db.query(INCIDENT_TOTALS_SQL)).rows[0]!);
    },

    async incidentPoints(filters, limit) {
      const params = new SqlParams();
      const where = incidentConditions(filters, params);
      const whereValues = [...params.values];
      const [points, monthsOnly] = await Promise.all([
        db.query<number[]>({ text: POINTS_SQL(where, params.add(limit)), values: params.values, rowMode: 'array' }),
        db.query<{ n: number }>(MONTHS_ONLY_SQL(where), whereValues),
      ]);
      return { x: points.rows.map((r) => r[0]!), y: points.rows.map((r) => r[1]!), day: points.rows.map((r) => r[2]!), monthsOnly: monthsOnly.rows[0]!.n };
    },

    async groupIncidents(filters, limit) {
      const params = new SqlParams();
      const where = incidentConditions(filters, params);
      const whereValues = [...params.values];
      const [rows, unknown] = await Promise.all([
        db.query<GroupIncidents['rows'][number]>({ text: GROUP_INCIDENTS_SQL(where, params.add(limit)), values: params.values, rowMode: 'array' }),
        db.query<{ n: number }>(GROUP_UNKNOWN_TIME_SQL(where), whereValues),
      ]);
      return { rows: rows.rows, unknownTime: unknown.rows[0]!.n };
    },

    async peopleSources(filters) {
      const params = new SqlParams();
      return (await db.query<SourcesRow>(SOURCES_SQL(incidentConditions(filters, params)), params.values)).rows;
    },

    async peopleRepeats(filters) {
      const params = new SqlParams();
      const where = incidentConditions(filters, params);
      const [{ rows }, places] = await Promise.all([
        db.query<RepeatsRow>(REPEATS_SQL(where), params.values),
        db.query<PeopleRepeats['places'][number]>(REPEAT_PLACES_SQL(where), params.values),
      ]);
      const distribution = ({ people, once, twice, threeToFour, fivePlus }: RepeatsRow) => ({ people, once, twice, threeToFour, fivePlus });
      const all = rows.find((row) => row.role === null);
      return {
        all: all ? distribution(all) : { people: 0, once: 0, twice: 0, threeToFour: 0, fivePlus: 0 },
        byRole: rows.filter((row) => row.role !== null).map((row) => ({ role: row.role!, ...distribution(row) })),
        victimAndSuspect: all?.overlap ?? 0,
        places: places.rows,
      };
    },

    async peopleFlow({ filters, unit, from, to }) {
      const params = new SqlParams();
      const where = incidentConditions({ ...filters, from: undefined, to: undefined }, params);
      const sql = PEOPLE_FLOW_SQL(where, params.add(unit), params.add(STEPS[unit]), params.add(from), params.add(to));
      return (await db.query<PeopleFlowRow>(sql, params.values)).rows;
    },
  };
}
