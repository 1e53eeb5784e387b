// Builds the real geography Lantern ships in data/ from the public source files in
// ../shared/data/real (or the folder given): the B&NES boundaries with 2011 census
// populations, named places of concern, the OS Open Map - Local street basemap and its
// label fonts, and Code-Point Open's postcode centroids. A maintainer runs it when the
// sources change and commits the output; Lantern itself never reads the source folder. Sources and licences: data/SOURCES.md.
//   npx tsx scripts/geodata/build.ts [source folder]
import { parse } from 'csv-parse/sync';
import { convex, featureCollection, point, simplify } from '@turf/turf';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ESTATES, GEODATA_DIR, type PlaceProperties } from './files.js';

type Position = number[];
type Geometry = GeoJSON.Geometry;
type Feature<P = Record<string, unknown>> = { type: 'Feature'; properties: P; geometry: Geometry };

const SOURCE = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../../../shared/data/real'));
const OUT = GEODATA_DIR;

const readJson = (file: string) => JSON.parse(readFileSync(path.join(SOURCE, file), 'utf8')) as { features: Feature[] };
const readCsv = (file: string) => parse(readFileSync(path.join(SOURCE, file)), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];

/** Rounds to 5 decimals (about 1 m) and drops repeated positions; then Douglas-Peucker at about 1 m. */
function tidy(geometry: Geometry, tolerance = 0.00001): Geometry {
  const round = (p: Position) => [Math.round(p[0]! * 1e5) / 1e5, Math.round(p[1]! * 1e5) / 1e5];
  const line = (ps: Position[]) => ps.map(round).filter((p, i, all) => i === 0 || p[0] !== all[i - 1]![0] || p[1] !== all[i - 1]![1]);
  // Rounding can collapse a small ring: keep rings that still enclose something (a hole only with its shell).
  const rings = (polygon: Position[][]) => {
    const kept = polygon.map(line);
    return kept[0]!.length >= 4 ? kept.filter((ring) => ring.length >= 4) : [];
  };
  let out: Geometry;
  switch (geometry.type) {
    case 'Point': out = { type: 'Point', coordinates: round(geometry.coordinates) }; break;
    case 'MultiPoint': out = { type: 'Point', coordinates: round(geometry.coordinates[0]!) }; break;
    case 'LineString': out = { type: 'LineString', coordinates: line(geometry.coordinates) }; break;
    case 'MultiLineString': out = { type: 'MultiLineString', coordinates: geometry.coordinates.map(line).filter((part) => part.length >= 2) }; break;
    case 'Polygon': out = { type: 'Polygon', coordinates: rings(geometry.coordinates) }; break;
    case 'MultiPolygon': out = { type: 'MultiPolygon', coordinates: geometry.coordinates.map(rings).filter((polygon) => polygon.length > 0) }; break;
    default: throw new Error(`unexpected geometry ${geometry.type}`);
  }
  if (out.type === 'LineString' && out.coordinates.length < 2) out = { type: 'Point', coordinates: out.coordinates[0]! };
  if (out.type === 'Point' || tolerance === 0) return out;
  try {
    return simplify(structuredClone(out) as never, { tolerance, highQuality: true, mutate: true }) as Geometry;
  } catch {
    return out; // a sliver turf cannot simplify (its ring would fall under 4 points): kept as rounded
  }
}

const titleCase = (text: string) => text.toLowerCase().replace(/(^|[\s'(-])(\p{L})/gu, (_, gap: string, letter: string) => gap + letter.toUpperCase())
  .replace(/\bSt\b/g, 'St').replace(/\bOf\b/g, 'of').replace(/\bAnd\b/g, 'and');
const clean = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

function writeCollection(file: string, features: Feature<object>[]) {
  const json = JSON.stringify({ type: 'FeatureCollection', features });
  const gz = gzipSync(json, { level: 9 });
  writeFileSync(path.join(OUT, file), gz);
  console.log(`${file}: ${features.length} features, ${(json.length / 1e6).toFixed(2)} MB JSON, ${(gz.length / 1e6).toFixed(2)} MB gzipped`);
}

// ---- areas -----------------------------------------------------------------------

function areas(): Feature[] {
  const census = new Map(readCsv('population/census_2011_banes_small_area.csv')
    .filter((row) => /^E01\d{6}$/.test(row.Code ?? ''))
    .map((row) => [row.Code!, {
      population: Number(row['Total usually resident population']),
      population_10_24: Number(row['Age 10-15']) + Number(row['Age 16-24']),
    }]));
  const district = readJson('boundaries/banes_la_boundary_E06000022.geojson').features[0]!;
  const out: Feature[] = [{
    type: 'Feature',
    properties: { level: 'district', code: 'E06000022', name: 'Bath and North East Somerset', population: 176016, population_10_24: 11639 + 27206 },
    geometry: tidy(district.geometry, 0),
  }];
  for (const ward of readJson('boundaries/banes_wards_2019.geojson').features) {
    const name = clean(ward.properties.Ward_name as string);
    // The file carries no ONS codes; the code is made from the name, as an import would.
    const code = name.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_]+/g, '-').slice(0, 24);
    out.push({ type: 'Feature', properties: { level: 'ward', code, name }, geometry: tidy(ward.geometry, 0) });
  }
  for (const lsoa of readJson('boundaries/banes_lsoa_2011.geojson').features) {
    const code = lsoa.properties.lsoa11cd as string;
    const counts = census.get(code);
    if (!counts) throw new Error(`no census row for ${code}`);
    out.push({
      type: 'Feature',
      properties: { level: 'lsoa', code, name: `${titleCase(lsoa.properties.local_name as string)} (${(lsoa.properties.lsoa11nm as string).replace('Bath and North East Somerset ', '')})`, ...counts },
      geometry: tidy(lsoa.geometry, 0),
    });
  }
  for (const msoa of readJson('boundaries/banes_msoa_2011.geojson').features) {
    out.push({ type: 'Feature', properties: { level: 'msoa', code: msoa.properties.msoa11cd, name: msoa.properties.msoa11nm }, geometry: tidy(msoa.geometry, 0) });
  }
  return out;
}

// ---- places of concern -------------------------------------------------------------

const ATTRIBUTION = {
  banes: 'Data provided by Bath & North East Somerset Council; Contains OS data © Crown copyright and database right (OGL v3)',
  os: 'Contains OS data © Crown copyright and database right (OGL v3)',
  fsa: 'Contains Food Standards Agency data licensed under the Open Government Licence v3.0',
  openPubs: 'Open Pubs (getthedata): Contains OS data © Crown copyright and database right; Contains Royal Mail data © Royal Mail copyright and database right; Contains National Statistics data © Crown copyright and database right (OGL v3)',
  licences: 'Bath & North East Somerset Council premises licence register (2014); positions from Code-Point Open: Contains OS data © Crown copyright and database right; Contains Royal Mail data © Royal Mail copyright and database right',
  osm: '© OpenStreetMap contributors (ODbL 1.0), via Bath: Hacked Accessible Bath (2017)',
} as const;

function place(properties: PlaceProperties, geometry: Geometry): Feature<PlaceProperties> {
  return { type: 'Feature', properties, geometry: tidy(geometry, 0.000005) };
}

function places(): Feature<PlaceProperties>[] {
  const out: Feature<PlaceProperties>[] = [];
  const gss = (file: string, label: string) => {
    for (const feature of readJson(`places/${file}`).features) {
      const p = feature.properties;
      const name = clean((p.site_name as string) || (p.comment as string)) || label;
      out.push(place({ kind: 'park', name, source: 'banes-green-space-strategy', ref: p.ethos_id as string, attribution: ATTRIBUTION.banes, note: `${p.typology_e}, B&NES green space strategy survey (about 2015).` }, feature.geometry));
    }
  };
  gss('banes_gss_parks_recreation.geojson', 'Park or recreation ground');
  gss('banes_gss_playspace_children.geojson', "Children's play space");
  gss('banes_gss_playspace_youth.geojson', 'Youth play space');

  const schools: [string, string, string][] = [
    ['banes_education_secondary_schools.geojson', 'establis00', 'Secondary school'],
    ['banes_education_colleges.geojson', 'school_nam', 'College'],
    ['banes_education_special_schools.geojson', 'school_nam', 'Special school'],
    ['banes_education_universities.geojson', 'university', 'University'],
  ];
  for (const [file, nameKey, label] of schools) {
    for (const feature of readJson(`places/${file}`).features) {
      const p = feature.properties;
      const name = clean(p[nameKey] as string);
      out.push(place({ kind: 'school', name, source: 'banes-education', ref: `${label}:${name}`, attribution: ATTRIBUTION.banes, note: `${label}, ${clean(p.street as string)} (B&NES list, 2017).` }, feature.geometry));
    }
  }

  for (const feature of readJson('places/banes_local_shops.geojson').features) {
    const p = feature.properties;
    const name = `${clean(p.street as string)} shops, ${clean(p.locality as string)}`;
    out.push(place({ kind: 'shop', name, source: 'banes-local-shops', ref: `${p.usrn}:${p.numbers}`, attribution: ATTRIBUTION.banes, note: `Local shopping parade, numbers ${clean(String(p.numbers ?? ''))}.` }, feature.geometry));
  }

  // Food hygiene register: takeaways, hotels, pubs/bars/nightclubs with a position.
  const fhrsKinds: Record<string, PlaceProperties['kind']> = {
    'Takeaway/sandwich shop': 'takeaway', 'Hotel/bed & breakfast/guest house': 'hotel', 'Pub/bar/nightclub': 'licensed_premises',
  };
  const licensedIds = new Set<string>();
  const licensedPostcodes = new Set<string>();
  const postcodeKey = (text: string) => text.replace(/\s+/g, '').toUpperCase();
  for (const row of readCsv('places/banes_food_hygiene_ratings_2019.csv')) {
    const kind = fhrsKinds[row.BusinessType!];
    if (!kind || !row.Latitude || !row.Longitude) continue;
    if (kind === 'licensed_premises') { licensedIds.add(row.FHRSID!); licensedPostcodes.add(postcodeKey(row.PostCode!)); }
    const street = [row.AddressLine1, row.AddressLine2, row.AddressLine3].map(clean).filter(Boolean).join(', ');
    out.push(place({ kind, name: clean(row.BusinessName), source: 'fsa-food-hygiene-2019', ref: row.FHRSID!, attribution: ATTRIBUTION.fsa, note: `${row.BusinessType}, ${street} ${clean(row.PostCode)} (food hygiene register, 2019).` },
      { type: 'Point', coordinates: [Number(row.Longitude), Number(row.Latitude)] }));
  }
  for (const row of readCsv('places/banes_open_pubs_2016.csv')) {
    // The 2016 list and the 2019 register share no ids; a pub at a postcode the register already has is taken as the same.
    if (licensedIds.has(row.fsa_id!) || licensedPostcodes.has(postcodeKey(row.postcode!))) continue;
    licensedPostcodes.add(postcodeKey(row.postcode!));
    out.push(place({ kind: 'licensed_premises', name: clean(row.name), source: 'open-pubs-2016', ref: row.fsa_id!, attribution: ATTRIBUTION.openPubs, note: `Pub, ${clean(row.address)} (Open Pubs, 2016).` },
      { type: 'Point', coordinates: [Number(row.longitude), Number(row.latitude)] }));
  }
  // Late-night alcohol licences not already present as a pub or bar at the same postcode,
  // placed at their postcode's Code-Point Open centroid (approximate).
  const postcodes = new Map(readJson('basemap/os_postcodes.geojson').features
    .map((feature) => [postcodeKey(feature.properties.pc as string), (feature.geometry as GeoJSON.Point).coordinates]));
  let unplaced = 0;
  for (const row of readCsv('places/banes_premises_licences_2014.csv')) {
    if (row.AlcoholSupply !== 'TRUE' || row.LateNightRefreshment !== 'TRUE' || row.StatusLabel !== 'Approved') continue;
    if (!/Premises Licence|Club Premises/.test(row.ServiceTypeLabel!)) continue;
    const key = postcodeKey(row.Postcode!);
    if (licensedPostcodes.has(key)) continue;
    const at = postcodes.get(key);
    if (!at) { unplaced += 1; continue; }
    licensedPostcodes.add(key);
    out.push(place({ kind: 'licensed_premises', name: titleCase(clean(row.PremisesName)), source: 'banes-premises-licences-2014', ref: row.CaseReference!, attribution: ATTRIBUTION.licences, approximate: true,
      note: `${row.ServiceTypeLabel} with alcohol and late-night refreshment, ${clean(row.LocationText).replace(/\|/g, ',')} (licence register, 2014). Position: the postcode's centre, approximate.` },
    { type: 'Point', coordinates: at }));
  }
  if (unplaced) console.log(`premises licences whose postcode is not in Code-Point Open: ${unplaced}`);

  for (const feature of readJson('places/os_rail_station.geojson').features) {
    out.push(place({ kind: 'transport_hub', name: `${feature.properties.distname} railway station`, source: 'os-open-map-local', ref: feature.properties.id as string, attribution: ATTRIBUTION.os, note: 'Railway station (OS Open Map - Local, 2017).' }, feature.geometry));
  }
  for (const feature of readJson('places/bh_accessible_bath.geojson').features) {
    const p = feature.properties;
    const kind = p.type === 'Bus station' ? 'transport_hub' : p.type === 'Parking' ? 'car_park' : null;
    if (!kind) continue;
    out.push(place({ kind, name: clean(p.name as string) || 'Car park', source: 'openstreetmap-2017', ref: String(p.node_id), attribution: ATTRIBUTION.osm, note: `${p.type} (OpenStreetMap, 2017 snapshot).` }, feature.geometry));
  }
  out.push(...estates());
  return out;
}

/**
 * Housing estates, which no open dataset outlines: the streets within a radius of the
 * estate's OS place name (or DOMAIN.md's centre where OS has none), wrapped in their
 * convex hull. Marked approximate.
 */
function estates(): Feature<PlaceProperties>[] {
  const names = readJson('basemap/os_place_names.geojson').features;
  const roads = readJson('basemap/os_roads.geojson').features
    .filter((road) => /Local Road|Minor Road|Restricted Local Access/.test(road.properties.classifica as string));
  return ESTATES.map((estate) => {
    const named = names.find((feature) => feature.properties.distname === estate.placeName);
    const [lon, lat] = named ? (named.geometry as GeoJSON.Point).coordinates as [number, number] : estate.centre;
    const mPerLon = 111_320 * Math.cos((lat * Math.PI) / 180);
    const near: Position[] = [];
    for (const road of roads) {
      const lines = road.geometry.type === 'LineString' ? [road.geometry.coordinates] : (road.geometry as GeoJSON.MultiLineString).coordinates;
      for (const position of lines.flat()) {
        if (Math.hypot((position[0]! - lon) * mPerLon, (position[1]! - lat) * 111_320) <= estate.radiusM) near.push(position);
      }
    }
    const hull = convex(featureCollection(near.map((position) => point(position))))!.geometry.coordinates[0]!;
    return place({
      kind: 'housing_estate', name: `${estate.name} (approximate)`, source: 'lantern-approximate', ref: estate.id, attribution: ATTRIBUTION.os, approximate: true,
      note: `Approximate outline: the streets within ${estate.radiusM} m of ${named ? `the OS place name "${estate.placeName}"` : 'the locality centre'} (OS Open Map - Local). Not an official boundary.`,
    }, { type: 'Polygon', coordinates: [hull] });
  });
}

// ---- basemap -------------------------------------------------------------------------

const ROAD_CLASSES: [RegExp, string][] = [
  [/^Motorway/, 'motorway'], [/^Primary Road/, 'primary'], [/^A Road/, 'a'], [/^B Road/, 'b'],
  [/^Minor Road/, 'minor'], [/^Local Road|^Local Access Road|^Shared Use/, 'local'], [/^Restricted Local Access/, 'restricted'],
  [/Pedestrian/, 'pedestrian'],
];

function basemap(): Feature[] {
  const out: Feature[] = [];
  const add = (layer: string, properties: Record<string, unknown>, geometry: Geometry, tolerance?: number) => {
    const tidied = tidy(geometry, tolerance);
    if (tidied.type === 'Point' && layer !== 'place') return; // a line shorter than a metre
    out.push({ type: 'Feature', properties: { layer, ...Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null && v !== undefined && v !== '')) }, geometry: tidied });
  };
  for (const f of readJson('basemap/os_surface_water_area.geojson').features) add('water', {}, f.geometry);
  for (const f of readJson('basemap/os_surface_water_line.geojson').features) add('waterway', {}, f.geometry);
  for (const f of readJson('places/os_greenspace_site.geojson').features) {
    add('green', { class: f.properties.function, name: clean(f.properties.distname1 as string) }, f.geometry);
  }
  for (const f of readJson('basemap/os_important_buildings.geojson').features) {
    const name = clean(f.properties.distname as string);
    add('building', { class: f.properties.buildgthem, name: name === 'Unknown' ? '' : name }, f.geometry, 0.000005);
  }
  for (const f of readJson('basemap/os_rail_track.geojson').features) add('rail', { class: /Narrow/.test(f.properties.classifica as string) ? 'narrow' : 'track' }, f.geometry);
  for (const f of readJson('basemap/os_rail_tunnel.geojson').features) add('rail', { class: 'tunnel' }, f.geometry);
  for (const f of readJson('basemap/banes_prow_bath.geojson').features) {
    add('path', { class: f.properties.status === 'BR' ? 'bridleway' : f.properties.status === 'FP' ? 'footpath' : 'byway' }, f.geometry);
  }
  for (const f of readJson('basemap/os_roads.geojson').features) {
    const p = f.properties;
    const road = ROAD_CLASSES.find(([pattern]) => pattern.test(p.classifica as string))?.[1] ?? 'local';
    add('road', { class: road, name: clean(p.distname as string), ref: clean(p.roadnumber as string), bridge: Number(p.drawlevel) > 0 ? 1 : undefined }, f.geometry, 0.000005);
  }
  const sizes: Record<string, number> = { Large: 3, Medium: 2, Small: 1 };
  for (const f of readJson('basemap/os_place_names.geojson').features) {
    const p = f.properties;
    add('place', { class: p.classifica === 'Populated Place' ? 'locality' : 'feature', name: clean(p.distname as string), size: sizes[p.fontheight as string] ?? 1 }, f.geometry);
  }
  for (const f of readJson('basemap/os_settlements.geojson').features) {
    const name = clean(f.properties.name0 as string);
    // OS writes the towns in capitals: BATH, KEYNSHAM, MIDSOMER NORTON, RADSTOCK.
    const town = name === name.toUpperCase();
    add('place', { class: town ? 'town' : 'village', name: town ? titleCase(name) : name, size: town ? 4 : 2 }, f.geometry);
  }
  return out;
}

function copyFonts() {
  const from = path.join(SOURCE, 'basemap', 'fonts');
  const to = path.join(OUT, 'fonts');
  for (const entry of readdirSync(from)) {
    const source = path.join(from, entry);
    if (statSync(source).isDirectory()) {
      mkdirSync(path.join(to, entry), { recursive: true });
      for (const file of readdirSync(source)) copyFileSync(path.join(source, file), path.join(to, entry, file));
    } else {
      copyFileSync(source, path.join(to, entry));
    }
  }
}

// ---- postcodes ---------------------------------------------------------------------

/** Code-Point Open's B&NES postcode centroids, for places imported with a postcode only. */
function postcodes(): Feature[] {
  return readJson('basemap/os_postcodes.geojson').features
    .filter((feature) => typeof feature.properties.pc === 'string' && feature.geometry)
    .map((feature) => ({ type: 'Feature', properties: { pc: clean(feature.properties.pc as string) }, geometry: tidy(feature.geometry) }));
}

mkdirSync(path.join(OUT, 'fonts'), { recursive: true });
writeCollection('areas.geojson.gz', areas());
// Every place needs a key unique within its source (re-loads update it in place): a
// missing ref becomes the name and position, a repeated one gets its occurrence number.
const placeFeatures = places();
const seen = new Map<string, number>();
for (const feature of placeFeatures) {
  const p = feature.properties;
  if (!p.ref || p.ref === 'null' || p.ref === 'undefined') p.ref = `${p.name}@${JSON.stringify(feature.geometry).slice(0, 60)}`;
  const key = `${p.source}|${p.ref}`;
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  if (n > 1) p.ref = `${p.ref}#${n}`;
}
const byKind = new Map<string, number>();
for (const feature of placeFeatures) byKind.set(feature.properties.kind, (byKind.get(feature.properties.kind) ?? 0) + 1);
console.log('places by kind:', Object.fromEntries(byKind));
writeCollection('places.geojson.gz', placeFeatures);
writeCollection('basemap.geojson.gz', basemap());
writeCollection('postcodes.geojson.gz', postcodes());
copyFonts();
