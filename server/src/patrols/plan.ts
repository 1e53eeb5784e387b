// Making a patrol plan: the shift's hours and weekdays, incidents in those same hours
// over the look-back weeks, places ranked by harm (locations of concern within a radius,
// and Gi* hot spot cells), the best 2-5 of them at least 200 m apart, each with its
// reason in words, then visit windows from schedule.ts.
import {
  CATEGORY_LABELS,
  narrowingFilters,
  WEEKDAYS,
  type Category,
  type Filters,
  type PatrolPlan,
  type PatrolPlace,
  type Narrowing,
  type PatrolPlanRequest,
} from '@lantern/shared';
import { HttpError } from '../errors.js';
import { centresOf, computeGiStar } from '../hotspots/engine.js';
import type { Queryable } from '../plugins/database.js';
import type { HotspotData } from '../hotspots/data.js';
import { HEXAGON_ROWS_SQL, type GridCell } from '../repositories/hotspots.js';
import { incidentConditions, SqlParams } from '../sql/filters.js';
import { incidentsAtPlaces } from '../sql/places.js';
import { schedulePatrol, ScheduleError } from './schedule.js';

export const HOTSPOT_CELL_METRES = 150;
const MIN_APART_METRES = 200;
const SHIFT_MINUTES = { min: 30, max: 12 * 60 } as const;
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The local hours a shift touches, per weekday (ISO 1-7): one segment, or two across midnight. */
export function shiftSegments(start: string, end: string, isoWeekday: number): { isoWeekday: number; hours: number[] }[] {
  const [sh, sm] = start.split(':').map(Number) as [number, number];
  const [eh, em] = end.split(':').map(Number) as [number, number];
  const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  const lastHour = em > 0 ? eh : eh - 1;
  const next = (isoWeekday % 7) + 1;
  if (eh * 60 + em > sh * 60 + sm) return [{ isoWeekday, hours: range(sh, lastHour) }];
  return [{ isoWeekday, hours: range(sh, 23) }, { isoWeekday: next, hours: range(0, lastHour) }].filter((s) => s.hours.length > 0);
}

interface Candidate {
  kind: 'location' | 'hotspot';
  name: string;
  locationId: number | null;
  locationKind: string | null;
  lon: number;
  lat: number;
  x: number;
  y: number;
  episodes: number;
  harm: number;
  under18: number;
  categories: Partial<Record<Category, number>>;
  confidence?: number;
  nearest?: { name: string; metres: number } | null;
}

// Each incident counts at its nearest open place within the radius (sql/places.ts), as
// the ranking counts, so a reason's numbers add up and no incident sends officers twice.
const LOCATIONS_SQL = (atPlaces: string, areaClause: string) => `
WITH near AS MATERIALIZED (
  SELECT l.id, i.category, i.harm_weight, i.age_band
    FROM (${atPlaces}) i JOIN locations_of_concern l ON l.id = i.place_id
   WHERE l.status <> 'closed' ${areaClause}
),
ranked AS (
  SELECT id, count(*)::int AS episodes, sum(harm_weight)::float8 AS harm,
         (count(*) FILTER (WHERE age_band IN ('0-9', '10-14', '15-17')))::int AS under18
    FROM near GROUP BY id ORDER BY harm DESC, id LIMIT 25
)
SELECT l.id::int AS "locationId", l.name, l.kind AS "locationKind", r.episodes, r.harm, r.under18,
       ST_X(ST_Transform(p.geom, 4326))::float8 AS lon, ST_Y(ST_Transform(p.geom, 4326))::float8 AS lat,
       ST_X(p.geom)::float8 AS x, ST_Y(p.geom)::float8 AS y,
       (SELECT json_object_agg(category, n) FROM (SELECT category, count(*)::int AS n FROM near WHERE near.id = l.id GROUP BY category) c) AS categories
  FROM ranked r JOIN locations_of_concern l ON l.id = r.id
  CROSS JOIN LATERAL (SELECT ST_PointOnSurface(l.geom_bng) AS geom) p
 ORDER BY r.harm DESC, l.id`;

// Categories and under-18s of a hot cell's own incidents (found within its circumscribed
// circle, then placed in hexagons as the grid places them, so they add up to the cell's
// count), and the nearest open place within 250 m for its name.
const CELL_DETAIL_SQL = (condition: string, x: string, y: string, size: string, i: string, j: string) => `
WITH c AS (
  SELECT category, count(*)::int AS n, (count(*) FILTER (WHERE age_band IN ('0-9', '10-14', '15-17')))::int AS under18
    FROM (${HEXAGON_ROWS_SQL(`
      SELECT i.bng_x AS x, i.bng_y AS y, i.category, i.age_band
        FROM incidents i
       WHERE ${condition} AND ST_DWithin(i.geom_bng, ST_SetSRID(ST_MakePoint(${x}, ${y}), 27700), ${size})`, size)}) placed
   WHERE placed.i = ${i} AND placed.j = ${j}
   GROUP BY category
)
SELECT (SELECT json_object_agg(category, n) FROM c) AS categories,
       (SELECT coalesce(sum(under18), 0)::int FROM c) AS under18,
       (SELECT json_build_object('name', l.name, 'metres', round(n.distance)::int)
          FROM lantern_nearest_location(ST_SetSRID(ST_MakePoint(${x}, ${y}), 27700), 250) n
          JOIN locations_of_concern l ON l.id = n.id) AS nearest`;

const SHIFT_SQL = `
SELECT to_char(s.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "startsAt",
       to_char(s.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "endsAt",
       (extract(epoch FROM s.ends_at - s.starts_at) / 60)::int AS minutes,
       extract(isodow FROM $1::date)::int AS weekday,
       to_char($1::date - 7 * $4::int, 'YYYY-MM-DD') AS "from", to_char($1::date - 1, 'YYYY-MM-DD') AS "to"
  FROM (SELECT ($1::date + $2::time) AT TIME ZONE 'Europe/London' AS starts_at,
               (($1::date + CASE WHEN $3::time <= $2::time THEN 1 ELSE 0 END) + $3::time) AT TIME ZONE 'Europe/London' AS ends_at) s`;

const LOCAL_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function categoriesText(categories: Partial<Record<Category, number>>): string {
  const sorted = (Object.entries(categories) as [Category, number][]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, 3).map(([category, n]) => `${n} ${CATEGORY_LABELS[category].toLowerCase()}`);
  const rest = sorted.slice(3).reduce((sum, [, n]) => sum + n, 0);
  return [...shown, ...(rest ? [`${rest} other`] : [])].join(', ');
}

export interface PlanInput {
  request: Required<Omit<PatrolPlanRequest, 'area' | keyof Narrowing>> & Narrowing & { area?: string };
  /** Analysts may see how many incidents involved under-18s; police never see person attributes. */
  personLevel: boolean;
  seed: number;
  createdBy: string;
}

export async function makePatrolPlan(db: Queryable, hotspots: HotspotData, input: PlanInput): Promise<Omit<PatrolPlan, 'id' | 'createdAt'>> {
  const { request } = input;
  const shift = (await db.query<{ startsAt: string; endsAt: string; minutes: number; weekday: number; from: string; to: string }>(
    SHIFT_SQL, [request.date, request.start, request.end, request.lookbackWeeks])).rows[0]!;
  if (shift.minutes < SHIFT_MINUTES.min || shift.minutes > SHIFT_MINUTES.max) {
    throw new HttpError(400, `a shift lasts from ${SHIFT_MINUTES.min} minutes to ${SHIFT_MINUTES.max / 60} hours; this one is ${shift.minutes} minutes`, 'end');
  }
  let area: { id: number; code: string; name: string; level: string } | null = null;
  if (request.area) {
    const found = await db.query<{ id: number; code: string; name: string; level: string }>(
      `SELECT id::int, code, name, level FROM areas WHERE code = $1 ORDER BY level = 'district', id LIMIT 1`, [request.area]);
    area = found.rows[0] ?? null;
    if (!area) throw new HttpError(400, 'no area has this code', 'area');
  }

  const segments = shiftSegments(request.start, request.end, shift.weekday);
  const days = segments.map((s) => WEEKDAY_NAMES[s.isoWeekday - 1]!);
  const shiftText = `${request.start}-${request.end} ${days.length === 1 ? `on ${days[0]}s` : `on ${days[0]} nights into ${days[1]}`} in the last ${request.lookbackWeeks} weeks`;

  // Incidents in the shift's hours on the shift's weekdays, in the look-back weeks, in
  // the area. Unknown hours (police.uk months) never match.
  // Sources, roles, outcomes and demo/imported narrow the plan's incidents as they do every count.
  const narrow = narrowingFilters(request);
  // Each half of a night shift is its own filter (its weekday, its hours), compiled as
  // every count's filter is.
  const segmentFilters: Filters[] = segments.map((s) => ({
    ...narrow, from: shift.from, to: shift.to, hours: s.hours, weekdays: [WEEKDAYS[s.isoWeekday - 1]!], ...(area ? { areas: [area.code] } : {}),
  }));
  const params = new SqlParams();
  const condition = `(${segmentFilters.map((filters) => `(${incidentConditions(filters, params)})`).join(' OR ')})`;
  // The condition's values alone, for the hot cells' details below.
  const baseValues = [...params.values];
  const areaClause = area ? `AND ST_Intersects(l.geom, (SELECT geom FROM areas WHERE id = ${params.add(area.id)}))` : '';
  const atPlaces = incidentsAtPlaces('i.category, i.harm_weight, i.age_band', condition, request.radius, `${params.add(request.radius)}::float8`);
  const locations = await db.query<Omit<Candidate, 'kind'>>(LOCATIONS_SQL(atPlaces, areaClause), params.values);
  const candidates: Candidate[] = locations.rows.map((row) => ({ ...row, kind: 'location', categories: row.categories ?? {} }));

  // Gi* hot cells (95% confidence or more, FDR-corrected) on the same incidents; the two
  // halves of a night shift are counted separately and added cell by cell.
  const grids = (await Promise.all(segmentFilters.map((filters) => hotspots.grid(HOTSPOT_CELL_METRES, filters)))).map((grid) => grid.cells);
  const cells: GridCell[] = grids[0]!.map((cell, index) => ({
    ...cell,
    count: grids.reduce((sum, grid) => sum + grid[index]!.count, 0),
    harm: grids.reduce((sum, grid) => sum + grid[index]!.harm, 0),
  }));
  if (cells.some((cell) => cell.count > 0)) {
    const gi = computeGiStar(centresOf(cells), cells.map((cell) => cell.count), HOTSPOT_CELL_METRES, { fdr: true });
    const hot = cells.map((cell, index) => ({ cell, bin: gi.bins[index]! }))
      .filter(({ cell, bin }) => bin >= 2 && cell.count > 0)
      .sort((a, b) => b.cell.harm - a.cell.harm)
      .slice(0, 10);
    const positions = await hotspots.toWgs84(hot.map(({ cell }) => [cell.x, cell.y]));
    for (const [index, { cell, bin }] of hot.entries()) {
      const detailParams = [...baseValues, cell.x, cell.y, HOTSPOT_CELL_METRES, cell.i, cell.j];
      const n = baseValues.length;
      const detail = (await db.query<{ categories: Partial<Record<Category, number>> | null; under18: number; nearest: { name: string; metres: number } | null }>(
        CELL_DETAIL_SQL(condition, `$${n + 1}::float8`, `$${n + 2}::float8`, `$${n + 3}::float8`, `$${n + 4}::int`, `$${n + 5}::int`), detailParams)).rows[0]!;
      candidates.push({
        kind: 'hotspot', name: detail.nearest ? `Hot spot near ${detail.nearest.name}` : `Hot spot ${Math.round(cell.x)} E ${Math.round(cell.y)} N`,
        locationId: null, locationKind: null, lon: positions[index]![0], lat: positions[index]![1], x: cell.x, y: cell.y,
        episodes: cell.count, harm: cell.harm, under18: detail.under18, categories: detail.categories ?? {},
        confidence: bin >= 3 ? 99 : 95, nearest: detail.nearest,
      });
    }
  }

  // The most harm first (a named place before a hot cell of equal harm: it is what a
  // patrol can find); a place within 200 m of one already chosen adds nothing.
  candidates.sort((a, b) => b.harm - a.harm || (a.kind === b.kind ? 0 : a.kind === 'location' ? -1 : 1) || a.name.localeCompare(b.name));
  const chosen: Candidate[] = [];
  for (const candidate of candidates) {
    if (chosen.length >= request.places) break;
    if (chosen.some((c) => Math.hypot(c.x - candidate.x, c.y - candidate.y) < MIN_APART_METRES)) continue;
    chosen.push(candidate);
  }

  const notes: string[] = [];
  if (chosen.length < request.places) {
    notes.push(`Only ${chosen.length} place${chosen.length === 1 ? '' : 's'} had incidents ${shiftText}${area ? ` in ${area.name}` : ''}.`);
  }
  const startsAt = Date.parse(shift.startsAt);
  const endsAt = Date.parse(shift.endsAt);
  let schedule = null;
  let count = chosen.length;
  while (count > 0 && !schedule) {
    try {
      schedule = schedulePatrol(count, startsAt, endsAt, input.seed);
    } catch (error) {
      if (!(error instanceof ScheduleError)) throw error;
      count -= 1;
    }
  }
  if (count < chosen.length) {
    notes.push(`The shift is too short to visit ${chosen.length} places at least every two hours: ${count} kept.`);
    chosen.length = count;
  }
  if (shift.minutes !== shiftMinutesOnClock(request.start, request.end)) {
    notes.push(`The clocks change during this shift: it lasts ${Math.floor(shift.minutes / 60)} h ${shift.minutes % 60} min.`);
  }

  const places: PatrolPlace[] = chosen.map((candidate, index) => {
    const cats = categoriesText(candidate.categories);
    const young = input.personLevel && candidate.under18 > 0 ? `; ${candidate.under18} involved under-18s` : '';
    const reason = candidate.kind === 'location'
      ? `${candidate.episodes} incident${candidate.episodes === 1 ? '' : 's'} (${cats}) ${shiftText}, within ${request.radius} m of ${candidate.name}${young}`
      : `Gi* hot spot, ${candidate.confidence}% confidence: ${candidate.episodes} incident${candidate.episodes === 1 ? '' : 's'} (${cats}) ${shiftText}${candidate.nearest ? `; ${candidate.nearest.metres} m from ${candidate.nearest.name}` : ''}${young}`;
    const visits = (schedule?.visits ?? []).filter((visit) => visit.place === index).map((visit) => ({
      start: new Date(visit.start).toISOString(),
      end: new Date(visit.end).toISOString(),
      startLocal: LOCAL_TIME.format(visit.start),
      endLocal: LOCAL_TIME.format(visit.end),
    }));
    return {
      number: index + 1, kind: candidate.kind, name: candidate.name, locationId: candidate.locationId, locationKind: candidate.locationKind,
      lon: Math.round(candidate.lon * 1e6) / 1e6, lat: Math.round(candidate.lat * 1e6) / 1e6,
      episodes: candidate.episodes, harm: Math.round(candidate.harm * 10) / 10, reason,
      visitMinutes: schedule?.visitMinutes[index] ?? 0, visits,
    };
  });

  return {
    createdBy: input.createdBy,
    area: area ? { code: area.code, name: area.name, level: area.level } : null,
    date: request.date, start: request.start, end: request.end,
    startsAt: shift.startsAt, endsAt: shift.endsAt, shiftMinutes: shift.minutes, shiftText,
    lookbackWeeks: request.lookbackWeeks, lookback: { from: shift.from, to: shift.to }, radius: request.radius,
    seed: input.seed, roundMinutes: schedule?.roundMinutes ?? 0, totalVisitMinutes: Math.round(schedule?.totalVisitMinutes ?? 0),
    places, notes,
  };
}

/** Minutes from start to end on the clock face (next day when end <= start). */
function shiftMinutesOnClock(start: string, end: string): number {
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  const difference = minutes(end) - minutes(start);
  return difference > 0 ? difference : difference + 24 * 60;
}
