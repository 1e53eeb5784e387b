// The collections Lantern serves through OGC API - Features, each with the roles that
// may read it (the same rules as the rest of the API): locations of concern, areas with
// summary attributes (disclosure control for panel members), Gi* hot spot cells, and
// incident points (analysts and police; person attributes for analysts only).
import {
  CATEGORIES,
  type AreaLevel,
  type Filters,
  type UserRole,
  type GiStarResult,
} from '@lantern/shared';
import type { FastifyInstance } from 'fastify';
import { askAreaSummary, askGiStar, parsed } from '../questions.js';
import { incidentConditions, SqlParams } from '../sql/filters.js';
import { checkPanelFilters, panelSummary } from '../disclosure/panel.js';
import { exactSummary } from '../summaries/assemble.js';

export type Bbox = [number, number, number, number];
/** Instants as [from, to) in UTC ISO; null ends are open. */
export interface TimeRange { from: string | null; to: string | null }

export interface ItemsQuery {
  filters: Filters;
  bbox: Bbox | null;
  datetime: TimeRange | null;
  limit: number;
  offset: number;
  role: UserRole;
}

export interface Feature {
  type: 'Feature';
  id: string | number;
  geometry: unknown;
  properties: Record<string, unknown>;
}

export interface Collection {
  id: string;
  title: string;
  description: string;
  roles: UserRole[];
  temporal: boolean;
  extent(app: FastifyInstance): Promise<{ bbox: Bbox | null; interval: [string | null, string | null] | null }>;
  items(app: FastifyInstance, query: ItemsQuery): Promise<{ features: Feature[]; numberMatched: number }>;
  item(app: FastifyInstance, id: string, role: UserRole): Promise<Feature | null>;
}

const envelope = (params: SqlParams, bbox: Bbox) =>
  `ST_MakeEnvelope(${params.add(bbox[0])}, ${params.add(bbox[1])}, ${params.add(bbox[2])}, ${params.add(bbox[3])}, 4326)`;

const EXTENT_SQL = (table: string, where = 'true') => `
SELECT ST_XMin(b)::float8 AS w, ST_YMin(b)::float8 AS s, ST_XMax(b)::float8 AS e, ST_YMax(b)::float8 AS n
  FROM (SELECT ST_Extent(geom)::box2d AS b FROM ${table} WHERE ${where}) x`;

async function extentOf(app: FastifyInstance, table: string, where?: string): Promise<Bbox | null> {
  const { rows } = await app.db.query<{ w: number | null; s: number; e: number; n: number }>(EXTENT_SQL(table, where));
  const row = rows[0];
  return row && row.w !== null ? [row.w, row.s, row.e, row.n] : null;
}

/** Runs a paged GeoJSON query: rows carry id, geometry (GeoJSON text), properties (json) and total. */
async function paged(app: FastifyInstance, sql: string, params: SqlParams, query: ItemsQuery) {
  const { rows } = await app.db.query<{ id: string | number; geometry: string; properties: Record<string, unknown>; total: string }>(
    `${sql} LIMIT ${params.add(query.limit)} OFFSET ${params.add(query.offset)}`, params.values);
  const features = rows.map((row) => ({ type: 'Feature' as const, id: row.id, geometry: JSON.parse(row.geometry), properties: row.properties }));
  let numberMatched = rows.length ? Number(rows[0]!.total) : 0;
  if (!rows.length && query.offset > 0) numberMatched = -1; // past the end: unknown without a count
  return { features, numberMatched };
}

const locations: Collection = {
  id: 'locations-of-concern',
  title: 'Locations of concern',
  description: 'Parks, estates, stairwells, takeaways and other places partners watch (open ones). Filter with locationKinds.',
  roles: ['analyst', 'police'],
  temporal: false,
  extent: async (app) => ({ bbox: await extentOf(app, 'locations_of_concern', "status <> 'closed'"), interval: null }),
  async items(app, query) {
    const params = new SqlParams();
    const where = ["l.status <> 'closed'"];
    if (query.bbox) where.push(`l.geom && ${envelope(params, query.bbox)}`);
    if (query.filters.locationKinds) where.push(`l.kind = ANY(${params.add(query.filters.locationKinds)}::text[])`);
    return paged(app, `SELECT l.id::int AS id, ST_AsGeoJSON(l.geom, 6) AS geometry,
        json_build_object('name', l.name, 'kind', l.kind, 'status', l.status) AS properties, count(*) OVER () AS total
        FROM locations_of_concern l WHERE ${where.join(' AND ')} ORDER BY l.id`, params, query);
  },
  async item(app, id) {
    if (!/^\d{1,18}$/.test(id)) return null;
    const { rows } = await app.db.query<{ geometry: string; properties: Record<string, unknown> }>(
      `SELECT ST_AsGeoJSON(geom, 6) AS geometry, json_build_object('name', name, 'kind', kind, 'status', status) AS properties
         FROM locations_of_concern WHERE id = $1 AND status <> 'closed'`, [id]);
    return rows[0] ? { type: 'Feature', id: Number(id), geometry: JSON.parse(rows[0].geometry), properties: rows[0].properties } : null;
  },
};

// Areas: boundaries with episodes and people for the filters, from the area summary
// (under disclosure control for panel members: perturbed, docs/disclosure.md).
async function withSummary(app: FastifyInstance, features: Feature[], filters: Filters, role: UserRole): Promise<Feature[]> {
  const levels = [...new Set(features.map((f) => f.properties.level as AreaLevel))];
  if (role === 'panel') checkPanelFilters(filters);
  const byLevel = new Map(await Promise.all(levels.map(async (level) => {
    const exact = await askAreaSummary(app, level, filters);
    const summary = role === 'panel' ? await panelSummary(app, exact, level, filters) : exactSummary(exact, level);
    return [level, new Map(summary.rows.map((row) => [row.code, row]))] as const;
  })));
  return features.map((feature) => {
    const row = byLevel.get(feature.properties.level as AreaLevel)?.get(feature.properties.code as string);
    return { ...feature, properties: { ...feature.properties, episodes: row?.episodes ?? null, people: row?.people ?? null, ratePer1000: row?.ratePer1000 ?? null } };
  });
}

const AREA_PROPERTIES = `json_build_object('level', a.level, 'code', a.code, 'name', a.name, 'population', a.population)`;

const areas: Collection = {
  id: 'areas',
  title: 'Areas with summary counts',
  description: 'Wards, LSOAs, MSOAs, neighbourhoods and the district, with episodes, people and episodes per 1,000 residents for the filters. '
    + 'Panel members get counts under disclosure control (perturbed; "c" for areas whose counts come from fewer than 3 places). Feature ids are level.code.',
  roles: ['analyst', 'police', 'panel'],
  temporal: false,
  extent: async (app) => ({ bbox: await extentOf(app, 'areas'), interval: null }),
  async items(app, query) {
    const params = new SqlParams();
    const where = ['true'];
    if (query.bbox) where.push(`a.geom && ${envelope(params, query.bbox)}`);
    const page = await paged(app, `SELECT a.level || '.' || a.code AS id, ST_AsGeoJSON(a.geom, 6) AS geometry, ${AREA_PROPERTIES} AS properties,
        count(*) OVER () AS total FROM areas a WHERE ${where.join(' AND ')} ORDER BY a.level, a.code`, params, query);
    return { ...page, features: await withSummary(app, page.features, query.filters, query.role) };
  },
  async item(app, id, role) {
    const dot = id.indexOf('.');
    if (dot < 1) return null;
    const { rows } = await app.db.query<{ geometry: string; properties: Record<string, unknown> }>(
      `SELECT ST_AsGeoJSON(a.geom, 6) AS geometry, ${AREA_PROPERTIES} AS properties FROM areas a WHERE a.level = $1 AND a.code = $2`,
      [id.slice(0, dot), id.slice(dot + 1)]);
    if (!rows[0]) return null;
    const [feature] = await withSummary(app, [{ type: 'Feature', id, geometry: JSON.parse(rows[0].geometry), properties: rows[0].properties }], {}, role);
    return feature!;
  },
};

const hotspots: Collection = {
  id: 'gistar-cells',
  title: 'Gi* hot and cold spot cells',
  description: 'Getis-Ord Gi* on a hexagon grid for the filters (cell size chosen from the data, FDR on): count, harm, z, p, bin -3..3. '
    + 'Cells with incidents or a significant bin.',
  roles: ['analyst', 'police'],
  temporal: false,
  extent: async (app) => ({ bbox: await extentOf(app, 'areas', "level = 'district'") ?? await extentOf(app, 'incidents'), interval: null }),
  async items(app, query) {
    // Kept (questions.ts): a client paging through the cells asks the same Gi* per page.
    const result = parsed<GiStarResult>(await askGiStar(app, query.filters, { fdr: true, weight: 'count' }));
    const inBox = (feature: (typeof result.features)[number]) => {
      if (!query.bbox) return true;
      const ring = (feature.geometry.coordinates as number[][][])[0]!;
      return ring.some(([x, y]) => x! >= query.bbox![0] && x! <= query.bbox![2] && y! >= query.bbox![1] && y! <= query.bbox![3]);
    };
    const all = result.features.filter(inBox);
    return {
      features: all.slice(query.offset, query.offset + query.limit).map((f) => ({ type: 'Feature', id: f.id, geometry: f.geometry, properties: f.properties })),
      numberMatched: all.length,
    };
  },
  async item(app, id, role) {
    const { features } = await hotspots.items(app, { filters: {}, bbox: null, datetime: null, limit: 100_000, offset: 0, role });
    return features.find((f) => String(f.id) === id) ?? null;
  },
};

const INCIDENT_PROPERTIES = (personLevel: boolean) => `json_build_object(
  'category', i.category, 'date', to_char(i.local_date, 'YYYY-MM-DD'), 'hour', i.local_hour,
  'timePrecision', i.time_precision, 'harm', i.harm_weight, 'nearestPlace', i.nearest_location_id,
  'outcome', i.outcome, 'outcomeWords', i.original_outcome
  ${personLevel ? ", 'ageBand', i.age_band, 'gender', i.gender, 'ethnicity', i.ethnicity, 'role', i.role" : ''})`;

const incidents: Collection = {
  id: 'incidents',
  title: 'Incidents',
  description: `Incident points (police.uk ones at their anonymised snap points). All the shared filters apply (categories: ${CATEGORIES.join(', ')}; `
    + 'hours, weekdays, ages, genders, areas, locationKinds, sources, roles, outcomes, data, from, to), and datetime on when they happened. '
    + 'Analysts also get age band, gender, ethnicity and role; never a person reference.',
  roles: ['analyst', 'police'],
  temporal: true,
  async extent(app) {
    const { rows } = await app.db.query<{ from: string | null; to: string | null }>(
      `SELECT to_char(min(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "from",
              to_char(max(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "to" FROM incidents`);
    return { bbox: await extentOf(app, 'incidents'), interval: rows[0]?.from ? [rows[0].from, rows[0].to] : null };
  },
  async items(app, query) {
    const params = new SqlParams();
    const where = [incidentConditions(query.filters, params)];
    if (query.bbox) {
      // Through the Web Mercator index (a longitude/latitude box is a box there too; the
      // poles are left out, where Mercator has no y), then exactly in WGS84.
      const [west, south, east, north] = query.bbox;
      where.push(`i.geom_3857 && ST_Transform(ST_MakeEnvelope(${params.add(west)}, greatest(${params.add(south)}::float8, -85),
        ${params.add(east)}, least(${params.add(north)}::float8, 85), 4326), 3857)`);
      where.push(`i.geom && ${envelope(params, query.bbox)}`);
    }
    if (query.datetime?.from) where.push(`i.occurred_at >= ${params.add(query.datetime.from)}::timestamptz`);
    if (query.datetime?.to) where.push(`i.occurred_at < ${params.add(query.datetime.to)}::timestamptz`);
    return paged(app, `SELECT i.id::text AS id, ST_AsGeoJSON(i.geom, 6) AS geometry, ${INCIDENT_PROPERTIES(query.role === 'analyst')} AS properties,
        count(*) OVER () AS total FROM incidents i WHERE ${where.join(' AND ')} ORDER BY i.id`, params, query);
  },
  async item(app, id, role) {
    if (!/^\d{1,18}$/.test(id)) return null;
    const { rows } = await app.db.query<{ geometry: string; properties: Record<string, unknown> }>(
      `SELECT ST_AsGeoJSON(i.geom, 6) AS geometry, ${INCIDENT_PROPERTIES(role === 'analyst')} AS properties FROM incidents i WHERE i.id = $1`, [id]);
    return rows[0] ? { type: 'Feature', id, geometry: JSON.parse(rows[0].geometry), properties: rows[0].properties } : null;
  },
};

export const COLLECTIONS: Collection[] = [locations, areas, hotspots, incidents];
