// Locations of concern and area boundaries from GeoJSON. Both are upserts on their
// natural key, so importing a newer version of a file replaces what changed; what a
// replaced row was before is kept in the batch's undo so a rollback restores it.
import { AREA_LEVELS, LOCATION_KINDS, type AreaLevel, type ImportMapping, type LocationKind } from '@lantern/shared';
import type pg from 'pg';
import { outsideDistrict, rejectOutside } from './district.js';
import { ImportError } from './errors.js';
import { britishNationalGrid, problem, quote, wgs84, type Coordinates, type Parsed, type Problem } from './fields.js';
import { propertyText, resolveColumns, type CsvFormat, type GeoJsonFormat, type MergeResult } from './format.js';
import { checkGeometry, geometryFromStage, repairOrRejectInvalid } from './geometry.js';
import { derivedKey, LINK_RADIUS_M } from './incidents.js';

type Properties = Record<string, unknown>;
const propertiesOf = (feature: { properties?: unknown }): Properties =>
  (feature.properties && typeof feature.properties === 'object' ? feature.properties : {}) as Properties;

/** The first of the candidate properties present (any case). */
function pick(properties: Properties, candidates: readonly string[]): string | undefined {
  const keys = new Map(Object.keys(properties).map((key) => [key.toLowerCase(), key]));
  for (const candidate of candidates) {
    const key = keys.get(candidate.toLowerCase());
    if (key !== undefined) return key;
  }
  return undefined;
}

const KIND_WORDS: [RegExp, LocationKind][] = [
  [/park|recreation|garden|green ?space|playground|play ?space|play area|common/i, 'park'],
  [/estate/i, 'housing_estate'],
  [/stair/i, 'stairwell'],
  [/take ?away|fast.?food|sandwich/i, 'takeaway'],
  [/hotel|hostel|guest ?house|b ?& ?b/i, 'hotel'],
  [/station|bus|transport|rail/i, 'transport_hub'],
  [/school|college|universit|academy/i, 'school'],
  [/shop|retail|parade|supermarket/i, 'shop'],
  [/pub|bar|night ?club|licensed/i, 'licensed_premises'],
  [/parking|car ?park/i, 'car_park'],
];

export function readKind(text: string | undefined, mapped?: Record<string, string>): Parsed<LocationKind> {
  const raw = (text ?? '').trim();
  if (mapped && raw in mapped) {
    const target = mapped[raw] as LocationKind;
    return LOCATION_KINDS.includes(target) ? { value: target } : problem('kind', 'bad_value', `the mapping sends ${quote(raw)} to ${quote(target)}, which is not a kind of place`);
  }
  if (!raw) return problem('kind', 'missing_field', 'the feature has no kind');
  const id = LOCATION_KINDS.find((kind) => kind === raw.toLowerCase().replace(/[\s-]+/g, '_'));
  if (id) return { value: id };
  const word = KIND_WORDS.find(([pattern]) => pattern.test(raw));
  return word ? { value: word[1] } : problem('kind', 'bad_value', `${quote(raw)} is not a kind of place (${LOCATION_KINDS.join(', ')}); map it in the mapping's values.kind`);
}

const KIND_PROPERTIES = ['kind', 'category', 'type', 'typology_e', 'function', 'businesstype', 'classifica', 'sitetheme'];
const NAME_PROPERTIES = ['name', 'site_name', 'title', 'label', 'businessname', 'street'];
const REF_PROPERTIES = ['id', 'ref', 'fid', 'gid', 'objectid', 'ethos_id', 'fhrsid'];

/** Locations of concern: Points or (Multi)Polygons, a kind per file or per feature. */
export function locationsFormat(mapping: ImportMapping, dataset: string, srid: 4326 | 27700): GeoJsonFormat {
  let columns: { name?: string; kind?: string; ref?: string } | undefined;
  const format: GeoJsonFormat = {
    kind: 'locations-geojson',
    input: 'geojson',
    columns: [
      { name: 'ref', type: 'text' }, { name: 'name', type: 'text' }, { name: 'kind', type: 'text' },
      { name: 'geometry', type: 'text' },
    ],
    notes: [],
    convert(feature, index) {
      const properties = propertiesOf(feature);
      if (!columns) {
        const mapped = mapping.columns ?? {};
        const named = (field: string, candidates: readonly string[]) => {
          if (mapped[field] !== undefined) {
            const key = pick(properties, [mapped[field]!]);
            if (key === undefined) throw new ImportError(`the first feature has no property ${JSON.stringify(mapped[field])} for ${field}`, 'mapping');
            return key;
          }
          return pick(properties, candidates);
        };
        columns = { name: mapping.name ? pick(properties, [mapping.name]) : named('name', NAME_PROPERTIES), kind: mapping.kind ? undefined : mapped.kind !== undefined ? named('kind', [])
          : KIND_PROPERTIES.map((candidate) => pick(properties, [candidate]))
            .find((key) => key !== undefined && 'value' in readKind(propertyText(properties[key]), mapping.values?.kind)), ref: named('ref', REF_PROPERTIES) };
        if (mapping.name && !columns.name) throw new ImportError(`the first feature has no property ${JSON.stringify(mapping.name)} for the name`, 'mapping');
        if (!mapping.kind && !columns.kind) throw new ImportError('say what kind of place the file holds ("kind" in the mapping, e.g. park) or which property gives each feature\'s kind', 'mapping');
        format.notes.push(`Places are kept as dataset ${JSON.stringify(dataset)}; importing a newer version of it replaces what changed.`);
        if (!columns.ref) format.notes.push('Features have no id: each place is keyed by a hash of its name and shape.');
        if (!columns.name) format.notes.push('Features have no name property: places are named by kind and feature number.');
      }
      const problems: Problem[] = [];
      const geometry = checkGeometry(feature.geometry, ['Point', 'Polygon', 'MultiPolygon'], srid);
      if ('problem' in geometry) problems.push(geometry.problem);
      let kind: LocationKind | undefined = mapping.kind;
      if (!kind) {
        const parsed = readKind(propertyText(properties[columns.kind!]), mapping.values?.kind);
        if ('problem' in parsed) problems.push({ ...parsed.problem, field: columns.kind! });
        else kind = parsed.value;
      }
      if (problems.length) return { problems };
      const name = (columns.name ? propertyText(properties[columns.name])?.trim() : undefined)?.slice(0, 200)
        || `${kind!.replace(/_/g, ' ')} (feature ${index + 1})`;
      const ref = (columns.ref ? propertyText(properties[columns.ref]) : undefined) ?? propertyText(feature.id);
      return { values: [ref?.trim() || derivedKey([name, 'value' in geometry ? geometry.value : '']), name, kind, (geometry as { value: string }).value] };
    },
    async merge(db, batchId) {
      const repaired = await repairOrRejectInvalid(db, 'geometry', srid);
      if (repaired) format.notes.push(`${repaired} invalid polygon(s) repaired with ST_MakeValid (area changed by under 1%).`);
      await db.query(`
        CREATE TEMP TABLE import_ready ON COMMIT DROP AS
        SELECT DISTINCT ON (s.ref) s.line, s.ref, s.name, s.kind, g.geom, false AS approximate, ${outsideDistrict('g.geom')} AS outside
          FROM import_stage s
         CROSS JOIN LATERAL (SELECT CASE WHEN GeometryType(${geometryFromStage('s.geometry', srid)}) = 'POINT'
                                         THEN ${geometryFromStage('s.geometry', srid)}
                                         ELSE ST_Multi(${geometryFromStage('s.geometry', srid)}) END AS geom) g
         WHERE s.reject IS NULL
         ORDER BY s.ref, s.line`);
      return upsertPlaces(db, batchId, dataset);
    },
  };
  return format;
}

const PLACE_ALIASES: Record<string, readonly string[]> = {
  ref: ['id', 'fhrsid', 'fsa_id', 'casereference', 'case reference', 'objectid', 'uprn'],
  name: ['businessname', 'business name', 'premisesname', 'premises name', 'site_name', 'title'],
  kind: ['category', 'type', 'businesstype', 'business type'],
  lon: ['longitude', 'lng'],
  lat: ['latitude'],
  postcode: ['post code', 'post_code', 'pc'],
};
const PLACE_FIELDS = ['ref', 'name', 'kind', 'lon', 'lat', 'easting', 'northing', 'postcode'] as const;

/** A postcode as the postcodes table keys it: capitals, no spaces. */
export const postcodeKey = (text: string) => text.replace(/\s+/g, '').toUpperCase();

/**
 * Locations of concern from a CSV: a position from lon/lat, else easting/northing, else
 * the postcode's Code-Point Open centroid (postcodes table; such places are marked
 * approximate). The kind per file (mapping "kind") or per row from a column.
 */
export function locationsCsvFormat(mapping: ImportMapping, dataset: string): CsvFormat {
  let text: (record: string[], field: string) => string = () => '';
  let fields = new Map<string, string>();
  const format: CsvFormat = {
    kind: 'locations-csv',
    input: 'csv',
    columns: [
      { name: 'ref', type: 'text' }, { name: 'name', type: 'text' }, { name: 'kind', type: 'text' },
      { name: 'x', type: 'float8' }, { name: 'y', type: 'float8' }, { name: 'srid', type: 'integer' }, { name: 'postcode', type: 'text' },
    ],
    notes: [],
    header(columns) {
      const { found, missingMapped } = resolveColumns(columns, PLACE_FIELDS, mapping.columns, PLACE_ALIASES);
      if (missingMapped.length) throw new ImportError(`the mapping names columns the file does not have: ${missingMapped.join(', ')}`, 'mapping');
      fields = found;
      const hasPosition = (fields.has('lon') && fields.has('lat')) || (fields.has('easting') && fields.has('northing')) || fields.has('postcode');
      if (!hasPosition) throw new ImportError('the file needs lon and lat, easting and northing, or a postcode column; name them in the mapping\'s "columns"', 'mapping');
      if (!mapping.kind && !fields.has('kind')) {
        throw new ImportError('say what kind of place the file holds ("kind" in the mapping, e.g. licensed_premises) or which column gives each row\'s kind', 'mapping');
      }
      const positions = new Map(columns.map((column, position) => [column, position]));
      text = (record, field) => {
        const column = fields.get(field);
        return column === undefined ? '' : (record[positions.get(column)!] ?? '').trim();
      };
      format.notes.push(`Places are kept as dataset ${JSON.stringify(dataset)}; importing a newer version of it replaces what changed.`);
      if (fields.has('postcode')) format.notes.push('Rows without coordinates are placed at their postcode\'s Code-Point Open centroid and marked approximate.');
      if (!fields.has('ref')) format.notes.push('The file has no reference column: each place is keyed by a hash of its name and position.');
    },
    convert(record, line) {
      const value = (field: string) => text(record, field);
      const problems: Problem[] = [];
      let kind: LocationKind | undefined = mapping.kind;
      if (!kind) {
        const parsed = readKind(value('kind'), mapping.values?.kind);
        if ('problem' in parsed) problems.push({ ...parsed.problem, field: fields.get('kind')! });
        else kind = parsed.value;
      }
      let position: Parsed<Coordinates> | null = null;
      if (value('lon') || value('lat')) position = wgs84(value('lon'), value('lat'), { lon: fields.get('lon') ?? 'lon', lat: fields.get('lat') ?? 'lat' });
      else if (value('easting') || value('northing')) {
        position = britishNationalGrid(value('easting'), value('northing'), { easting: fields.get('easting') ?? 'easting', northing: fields.get('northing') ?? 'northing' });
      }
      if (position && 'problem' in position) problems.push(position.problem);
      const postcode = value('postcode');
      if (!position && !postcode) problems.push(problem(null, 'missing_coordinates', 'the row has no coordinates and no postcode').problem);
      if (problems.length) return { problems };
      const name = value('name').slice(0, 200) || `${kind!.replace(/_/g, ' ')} (line ${line})`;
      const at = position && 'value' in position ? position.value : null;
      const ref = value('ref') || derivedKey([name, at ? `${at.x},${at.y}` : postcodeKey(postcode)]);
      return { values: [ref, name, kind, at?.x ?? null, at?.y ?? null, at?.srid ?? null, postcode ? postcodeKey(postcode) : null] };
    },
    async merge(db, batchId) {
      await db.query(`
        CREATE TEMP TABLE import_ready ON COMMIT DROP AS
        SELECT DISTINCT ON (s.ref) s.line, s.ref, s.name, s.kind, g.geom, s.x IS NULL AS approximate,
               g.geom IS NOT NULL AND ${outsideDistrict('g.geom')} AS outside
          FROM import_stage s
          LEFT JOIN postcodes p ON s.x IS NULL AND p.postcode = s.postcode
         CROSS JOIN LATERAL (SELECT CASE WHEN s.x IS NULL THEN p.geom
                                         WHEN s.srid = 27700 THEN ST_Transform(ST_SetSRID(ST_MakePoint(s.x, s.y), 27700), 4326)
                                         ELSE ST_SetSRID(ST_MakePoint(s.x, s.y), 4326) END AS geom) g
         WHERE s.reject IS NULL
         ORDER BY s.ref, s.line`);
      // A postcode Lantern does not hold (outside B&NES, or mistyped) places nothing: the row is rejected.
      await db.query(`
        UPDATE import_stage s
           SET reject = jsonb_build_array(jsonb_build_object('field', ${db.escapeLiteral(fields.get('postcode') ?? 'postcode')},
                        'reason', 'unknown_postcode', 'message', 'the postcode ' || s.postcode || ' is not a B&NES postcode Lantern knows'))
          FROM import_ready r
         WHERE r.line = s.line AND r.geom IS NULL`);
      await db.query('DELETE FROM import_ready WHERE geom IS NULL');
      return upsertPlaces(db, batchId, dataset);
    },
  };
  return format;
}

/**
 * import_ready's places (ref, name, kind, geom, approximate, outside) into the live table
 * as dataset `dataset`, keeping what each replaced row was; then incidents are relinked,
 * since new or moved places change which place is nearest to them.
 */
function upsertPlaces(db: pg.ClientBase, batchId: number, dataset: string): Promise<MergeResult> {
  return upsert(db, {
    table: 'locations_of_concern',
    undoMatch: 't.source = $1 AND t.source_ref = r.ref',
    undoColumns: 'id, name, kind, ST_AsGeoJSON(geom) AS geometry, batch_id, is_demo, approximate',
    insert: `
      INSERT INTO locations_of_concern AS l (name, kind, source, source_ref, added_by, notes, geom, batch_id, approximate)
      SELECT r.name, r.kind, $2, r.ref, 'import',
             'Imported from ' || $2 || CASE WHEN r.approximate THEN ' (placed at its postcode''s centroid).' ELSE '.' END,
             r.geom, $1, r.approximate
        FROM import_ready r WHERE NOT r.outside
      ON CONFLICT (source, source_ref) DO UPDATE
         SET name = excluded.name, kind = excluded.kind, geom = excluded.geom, batch_id = excluded.batch_id, approximate = excluded.approximate
       WHERE (l.name, l.kind) IS DISTINCT FROM (excluded.name, excluded.kind) OR NOT ST_Equals(l.geom, excluded.geom)
      RETURNING (xmax = 0) AS inserted`,
    parameters: [batchId, dataset],
    after: async () => {
      await db.query('SELECT lantern_link_nearest_locations($1)', [LINK_RADIUS_M]);
    },
  });
}

interface Upsert {
  table: string;
  /** Matches a live row `t` to a ready row `r`; $1 is the second insert parameter. */
  undoMatch: string;
  undoColumns: string;
  insert: string;
  parameters: unknown[];
  after?: () => Promise<void>;
}

/** Runs an upsert from import_ready, keeping the replaced rows' previous values as undo. */
async function upsert(db: pg.ClientBase, plan: Upsert): Promise<MergeResult> {
  const counts = await db.query<{ outside: string; repeated: string; candidates: string }>(`
    SELECT count(*) FILTER (WHERE outside) AS outside,
           (SELECT count(*) FROM import_stage WHERE reject IS NULL) - count(*) AS repeated,
           count(*) FILTER (WHERE NOT outside) AS candidates
      FROM import_ready`);
  await rejectOutside(db);
  const undo = await db.query(`
    SELECT ${plan.undoColumns} FROM ${plan.table} t
     WHERE EXISTS (SELECT 1 FROM import_ready r WHERE NOT r.outside AND ${plan.undoMatch})`,
  [plan.parameters[1]]);
  const written = await db.query<{ inserted: boolean }>(plan.insert, plan.parameters);
  const accepted = written.rows.filter((row) => row.inserted).length;
  const updated = written.rows.length - accepted;
  await plan.after?.();
  const { outside, repeated, candidates } = counts.rows[0]!;
  return {
    accepted,
    updated,
    duplicates: Number(repeated) + Number(candidates) - written.rows.length,
    outsideDistrict: Number(outside),
    areaCodeDisagreements: 0,
    // Only rows this batch actually replaced need restoring; unchanged ones keep their batch.
    undo: { table: plan.table, rows: undo.rows },
  };
}

const LEVEL_HINTS: [RegExp, AreaLevel][] = [
  [/^lsoa\d*cd$/i, 'lsoa'], [/^msoa\d*cd$/i, 'msoa'], [/^wd\d*cd$/i, 'ward'], [/^(lad|ctyua|utla)\d*cd$/i, 'district'],
];
const CODE_LEVELS: [RegExp, AreaLevel][] = [[/^E0[16789]\d{6}$/, 'district'], [/^E05\d{6}$/, 'ward'], [/^E01\d{6}$/, 'lsoa'], [/^E02\d{6}$/, 'msoa']];

const slug = (text: string) => text.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_]+/g, '-').slice(0, 24);

/** Area boundaries: codes and names from properties the user can name, level per file. */
export function areasFormat(mapping: ImportMapping, srid: 4326 | 27700): GeoJsonFormat {
  let resolved: { level: AreaLevel; code?: string; name?: string } | undefined;
  const format: GeoJsonFormat = {
    kind: 'areas-geojson',
    input: 'geojson',
    columns: [{ name: 'code', type: 'text' }, { name: 'name', type: 'text' }, { name: 'geometry', type: 'text' }],
    notes: [],
    convert(feature) {
      const properties = propertiesOf(feature);
      if (!resolved) {
        const keys = Object.keys(properties);
        const named = (wanted: string | undefined, candidates: string[]) => {
          if (wanted === undefined) return pick(properties, candidates);
          const key = pick(properties, [wanted]);
          if (key === undefined) throw new ImportError(`the first feature has no property ${JSON.stringify(wanted)}`, 'mapping');
          return key;
        };
        const codeProperty = named(mapping.code, [...keys.filter((key) => LEVEL_HINTS.some(([pattern]) => pattern.test(key))), 'code', 'area_code', 'gss_code']);
        const nameProperty = named(mapping.name, [
          ...keys.filter((key) => /^(lsoa|msoa|wd|lad)\d*nm$/i.test(key)), 'name', 'ward_name', 'area_name', 'local_name']);
        const firstCode = codeProperty ? propertyText(properties[codeProperty]) ?? '' : '';
        const level = mapping.level
          ?? LEVEL_HINTS.find(([pattern]) => codeProperty && pattern.test(codeProperty))?.[1]
          ?? CODE_LEVELS.find(([pattern]) => pattern.test(firstCode))?.[1];
        if (!level) throw new ImportError(`say which level these areas are (${AREA_LEVELS.join(', ')}): "level" in the mapping`, 'mapping');
        if (!nameProperty && !codeProperty) throw new ImportError('the features have neither a code nor a name property; name them in the mapping ("code", "name")', 'mapping');
        resolved = { level, code: codeProperty, name: nameProperty };
        format.notes.push(`Areas are imported as level ${level}${codeProperty ? `, code from ${JSON.stringify(codeProperty)}` : ''}${nameProperty ? `, name from ${JSON.stringify(nameProperty)}` : ''}.`);
        if (!codeProperty) format.notes.push('The file has no area codes: codes are made from the names.');
      }
      const problems: Problem[] = [];
      const geometry = checkGeometry(feature.geometry, ['Polygon', 'MultiPolygon'], srid);
      if ('problem' in geometry) problems.push(geometry.problem);
      const name = resolved.name ? propertyText(properties[resolved.name])?.trim() : undefined;
      let code = resolved.code ? propertyText(properties[resolved.code])?.trim() : name ? slug(name) : undefined;
      if (!code) problems.push({ field: resolved.code ?? resolved.name ?? 'code', reason: 'missing_field', message: 'the area has no code' });
      else if (!/^[A-Za-z0-9_-]{1,24}$/.test(code)) {
        problems.push({ field: resolved.code ?? 'code', reason: 'bad_value', message: `${quote(code)} is not an area code (letters, digits, - and _, up to 24)` });
        code = undefined;
      }
      if (problems.length) return { problems };
      return { values: [code, (name || code)!.slice(0, 200), (geometry as { value: string }).value] };
    },
    async merge(db, batchId) {
      const repaired = await repairOrRejectInvalid(db, 'geometry', srid);
      if (repaired) format.notes.push(`${repaired} invalid polygon(s) repaired with ST_MakeValid (area changed by under 1%).`);
      await db.query(`
        CREATE TEMP TABLE import_ready ON COMMIT DROP AS
        SELECT DISTINCT ON (s.code) s.line, s.code, s.name, ST_Multi(${geometryFromStage('s.geometry', srid)}) AS geom,
               false AS outside
          FROM import_stage s WHERE s.reject IS NULL ORDER BY s.code, s.line`);
      const merged = await upsert(db, {
        table: 'areas',
        undoMatch: 't.level = $1 AND t.code = r.code',
        undoColumns: 'id, name, ST_AsGeoJSON(geom) AS geometry, population, population_10_24, batch_id, is_demo',
        insert: `
          INSERT INTO areas AS a (level, code, name, geom, batch_id)
          SELECT $2, r.code, r.name, r.geom, $1 FROM import_ready r
          ON CONFLICT (level, code) DO UPDATE
             SET name = excluded.name, geom = excluded.geom, batch_id = excluded.batch_id, is_demo = false
           WHERE a.name IS DISTINCT FROM excluded.name OR a.is_demo OR NOT ST_Equals(a.geom, excluded.geom)
          RETURNING (xmax = 0) AS inserted`,
        parameters: [batchId, resolved!.level],
      });
      // A level is one geography: the level's areas this file does not hold (the shipped
      // set, an earlier vintage) go, so no total counts an incident twice. They are kept
      // in the undo: a rollback puts them back. Another set is kept by importing it as
      // another level (e.g. "neighbourhood"), which is never summed with this one.
      const removed = await db.query(`
        DELETE FROM areas a
         WHERE a.level = $1 AND NOT EXISTS (SELECT 1 FROM import_ready r WHERE NOT r.outside AND r.code = a.code)
           AND EXISTS (SELECT 1 FROM import_ready r WHERE NOT r.outside)
        RETURNING a.id, a.level, a.code, a.name, ST_AsGeoJSON(a.geom) AS geometry, a.population, a.population_10_24, a.batch_id, a.is_demo`,
      [resolved!.level]);
      if (removed.rowCount) {
        format.notes.push(`${removed.rowCount} ${resolved!.level} area(s) not in this file were replaced (a level holds one set of boundaries; `
          + 'import another set as another level, such as "neighbourhood", to keep both). A rollback puts them back.');
      }
      return { ...merged, undo: { ...(merged.undo as object), removed: removed.rows } };
    },
  };
  return format;
}
