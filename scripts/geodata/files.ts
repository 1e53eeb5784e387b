// The real geography shipped in data/geography (built by build.ts from public sources,
// data/geography/SOURCES.md): where the files are and what their features carry.
import type { LocationKind } from '@lantern/shared';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export const GEODATA_DIR = path.resolve(import.meta.dirname, '../../data/geography');

/** A place of concern from open data. */
export interface PlaceProperties {
  kind: LocationKind;
  name: string;
  /** Dataset id, e.g. fsa-food-hygiene-2019; with ref, the place's key. */
  source: string;
  ref: string;
  /** What the source's licence asks to be shown. */
  attribution: string;
  note: string;
  /** Position or outline known only roughly (postcode centroid, drawn from streets). */
  approximate?: boolean;
}

export interface AreaProperties {
  level: 'district' | 'ward' | 'lsoa' | 'msoa';
  code: string;
  name: string;
  /** 2011 Census usual residents (district and LSOAs; other levels are apportioned at load). */
  population?: number;
  population_10_24?: number;
}

export interface BasemapProperties {
  layer: 'water' | 'waterway' | 'green' | 'building' | 'rail' | 'path' | 'road' | 'place';
  class?: string;
  name?: string;
  ref?: string;
  size?: number;
  bridge?: number;
}

/** A Code-Point Open postcode centroid ("BA1 0AQ"). */
export interface PostcodeProperties {
  pc: string;
}

/** Estates DOMAIN.md names, outlined from the streets around their OS place names. */
export const ESTATES = [
  { id: 'twerton', name: 'Twerton estate', placeName: 'Twerton', centre: [-2.392, 51.381], radiusM: 380 },
  { id: 'whiteway', name: 'Whiteway estate', placeName: 'Whiteway', centre: [-2.398, 51.372], radiusM: 330 },
  { id: 'southdown', name: 'Southdown estate', placeName: 'Southdown', centre: [-2.384, 51.366], radiusM: 330 },
  { id: 'foxhill', name: 'Foxhill estate', placeName: 'Foxhill', centre: [-2.358, 51.358], radiusM: 300 },
  { id: 'odd-down', name: 'Odd Down estate', placeName: 'Odd Down', centre: [-2.382, 51.36], radiusM: 330 },
] as const satisfies readonly { id: string; name: string; placeName: string; centre: [number, number]; radiusM: number }[];

const cache = new Map<string, unknown>();

/** One shipped collection, read once per process. */
export function readGeodata<P>(file: 'areas' | 'places' | 'basemap' | 'postcodes'): GeoJSON.FeatureCollection<GeoJSON.Geometry, P> {
  if (!cache.has(file)) {
    cache.set(file, JSON.parse(gunzipSync(readFileSync(path.join(GEODATA_DIR, `${file}.geojson.gz`))).toString('utf8')));
  }
  return cache.get(file) as GeoJSON.FeatureCollection<GeoJSON.Geometry, P>;
}
