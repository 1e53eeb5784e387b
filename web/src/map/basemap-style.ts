// Lantern's own basemap: OS Open Map - Local for B&NES served by Lantern as vector tiles
// (/api/tiles/basemap), labelled with Noto Sans glyphs Lantern also serves, so the map
// needs no network beyond Lantern. Muted on purpose: paper, pale roads, grey labels, so
// hexagons, hot spots and places stay the loudest things on the map.
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';

export const OS_ATTRIBUTION = 'Contains OS data © Crown copyright and database right';
/** The places of concern and boundaries: OpenStreetMap's ODbL and the OGL publishers (data/geography/SOURCES.md). */
export const DATA_ATTRIBUTION = 'Places © OpenStreetMap contributors (ODbL); FSA, ONS and B&NES Council data (OGL v3)';
/** The source layer ids the basemap style owns, so Lantern's layers go beneath its labels. */
export const BASEMAP_SOURCE = 'lantern-basemap';

const FONT = ['Noto Sans Regular'];
const FONT_MEDIUM = ['Noto Sans Medium'];
const FONT_ITALIC = ['Noto Sans Italic'];
const LABEL = '#5b574f';
const HALO = 'rgba(255,255,255,0.9)';

const zoomed = (...stops: number[]): ExpressionSpecification => ['interpolate', ['exponential', 1.5], ['zoom'], ...stops] as ExpressionSpecification;
const isClass = (...classes: string[]): ExpressionSpecification => ['match', ['get', 'class'], classes, true, false] as ExpressionSpecification;

// Road hierarchy: main roads pale amber, B roads paler, streets white; casings a warm grey.
const ROADS: { id: string; classes: string[]; minzoom: number; fill: string; casing: string; width: number[] }[] = [
  { id: 'restricted', classes: ['restricted', 'pedestrian'], minzoom: 14, fill: '#fbfaf7', casing: '#d9d4cb', width: [14, 1, 17, 5] },
  { id: 'local', classes: ['local'], minzoom: 12, fill: '#ffffff', casing: '#d2ccc2', width: [12, 0.6, 14, 2, 17, 9] },
  { id: 'minor', classes: ['minor'], minzoom: 11, fill: '#ffffff', casing: '#cbc4b8', width: [11, 0.6, 14, 2.6, 17, 11] },
  { id: 'b', classes: ['b'], minzoom: 10, fill: '#f8eccb', casing: '#d6c193', width: [10, 0.8, 14, 3.2, 17, 12] },
  { id: 'a', classes: ['a', 'primary', 'motorway'], minzoom: 8, fill: '#f3dca8', casing: '#cfb177', width: [8, 0.8, 14, 4, 17, 14] },
];

function roadLayers(): LayerSpecification[] {
  const casing: LayerSpecification[] = ROADS.map((road) => ({
    id: `road-${road.id}-casing`, type: 'line', source: BASEMAP_SOURCE, 'source-layer': 'road', minzoom: Math.max(road.minzoom, 12),
    filter: isClass(...road.classes),
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    // The casing: the fill's width plus about a pixel each side, zoom for zoom.
    paint: { 'line-color': road.casing, 'line-width': zoomed(...road.width.map((value, i) => (i % 2 ? value + 1.6 : value))) },
  }));
  const fill: LayerSpecification[] = ROADS.map((road) => ({
    id: `road-${road.id}`, type: 'line', source: BASEMAP_SOURCE, 'source-layer': 'road', minzoom: road.minzoom,
    filter: isClass(...road.classes),
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    // Below z12 there are no casings: the fill alone, a shade darker, draws the network.
    paint: { 'line-color': ['step', ['zoom'], road.casing, 12, road.fill] as ExpressionSpecification, 'line-width': zoomed(...road.width) },
  }));
  return [...casing, ...fill];
}

/** The style, its tiles and glyphs on `origin` (Lantern's own server). */
export function lanternBasemapStyle(origin: string): StyleSpecification {
  return {
    version: 8,
    glyphs: `${origin}/api/basemap/fonts/{fontstack}/{range}.pbf`,
    sources: {
      [BASEMAP_SOURCE]: {
        type: 'vector',
        tiles: [`${origin}/api/tiles/basemap/{z}/{x}/{y}.mvt`],
        minzoom: 8,
        maxzoom: 16,
        attribution: OS_ATTRIBUTION,
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f2f0eb' } },
      {
        id: 'green', type: 'fill', source: BASEMAP_SOURCE, 'source-layer': 'green',
        paint: { 'fill-color': ['match', ['get', 'class'], ['Cemetery', 'Religious Grounds'], '#e2e6dc', '#dbe8d3'] as ExpressionSpecification, 'fill-opacity': 0.9 },
      },
      { id: 'water', type: 'fill', source: BASEMAP_SOURCE, 'source-layer': 'water', paint: { 'fill-color': '#c5d9e6' } },
      {
        id: 'waterway', type: 'line', source: BASEMAP_SOURCE, 'source-layer': 'waterway',
        paint: { 'line-color': '#b3cde0', 'line-width': zoomed(12, 0.5, 16, 2) },
      },
      {
        id: 'building', type: 'fill', source: BASEMAP_SOURCE, 'source-layer': 'building',
        paint: { 'fill-color': '#e3ddd5', 'fill-outline-color': '#cfc6bb' },
      },
      {
        id: 'path', type: 'line', source: BASEMAP_SOURCE, 'source-layer': 'path',
        paint: { 'line-color': '#b09f86', 'line-width': zoomed(14, 0.6, 17, 1.5), 'line-dasharray': [2, 2] },
      },
      ...roadLayers(),
      {
        id: 'rail', type: 'line', source: BASEMAP_SOURCE, 'source-layer': 'rail', filter: ['!=', ['get', 'class'], 'tunnel'],
        paint: { 'line-color': '#9c9a96', 'line-width': zoomed(10, 0.6, 16, 2) },
      },
      {
        id: 'rail-ties', type: 'line', source: BASEMAP_SOURCE, 'source-layer': 'rail', minzoom: 13, filter: ['!=', ['get', 'class'], 'tunnel'],
        paint: { 'line-color': '#9c9a96', 'line-width': zoomed(13, 3, 16, 6), 'line-dasharray': [0.2, 2] },
      },
      // Labels from here: Lantern's layers go beneath them (LanternMap finds the first symbol layer).
      {
        id: 'water-label', type: 'symbol', source: BASEMAP_SOURCE, 'source-layer': 'place', minzoom: 13,
        filter: ['==', ['get', 'class'], 'feature'],
        layout: { 'text-field': ['get', 'name'], 'text-font': FONT_ITALIC, 'text-size': 11, 'text-max-width': 8 },
        paint: { 'text-color': '#7d8a73', 'text-halo-color': HALO, 'text-halo-width': 1.2 },
      },
      {
        id: 'road-label', type: 'symbol', source: BASEMAP_SOURCE, 'source-layer': 'road',
        minzoom: 13,
        // Street names along the line: main and B roads from z13, every street from z15.
        filter: ['all', ['has', 'name'], ['any', isClass('a', 'primary', 'b'), ['>=', ['zoom'], 15]]] as ExpressionSpecification,
        layout: {
          'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': FONT,
          'text-size': zoomed(13, 10, 17, 13), 'text-max-angle': 30, 'symbol-spacing': 300, 'text-padding': 4,
        },
        paint: { 'text-color': LABEL, 'text-halo-color': HALO, 'text-halo-width': 1.5 },
      },
      {
        id: 'road-number', type: 'symbol', source: BASEMAP_SOURCE, 'source-layer': 'road', minzoom: 10, maxzoom: 16,
        filter: ['all', ['has', 'ref'], isClass('a', 'primary', 'b')] as ExpressionSpecification,
        layout: {
          'symbol-placement': 'line', 'text-field': ['get', 'ref'], 'text-font': FONT_MEDIUM, 'text-size': 10,
          'symbol-spacing': 500, 'text-rotation-alignment': 'viewport', 'text-padding': 20,
        },
        paint: { 'text-color': '#7a5f22', 'text-halo-color': '#fbf3dc', 'text-halo-width': 2.5 },
      },
      {
        id: 'building-label', type: 'symbol', source: BASEMAP_SOURCE, 'source-layer': 'building', minzoom: 16,
        filter: ['has', 'name'],
        layout: { 'text-field': ['get', 'name'], 'text-font': FONT_ITALIC, 'text-size': 10, 'text-max-width': 7 },
        paint: { 'text-color': '#857b70', 'text-halo-color': HALO, 'text-halo-width': 1 },
      },
      {
        id: 'locality-label', type: 'symbol', source: BASEMAP_SOURCE, 'source-layer': 'place',
        filter: ['==', ['get', 'class'], 'locality'],
        layout: {
          'text-field': ['get', 'name'], 'text-font': FONT, 'text-size': ['match', ['get', 'size'], 3, 13, 2, 12, 11] as ExpressionSpecification,
          'text-max-width': 8, 'text-padding': 6,
        },
        paint: { 'text-color': '#6d685f', 'text-halo-color': HALO, 'text-halo-width': 1.5 },
      },
      {
        id: 'village-label', type: 'symbol', source: BASEMAP_SOURCE, 'source-layer': 'place', maxzoom: 14,
        filter: ['==', ['get', 'class'], 'village'],
        layout: { 'text-field': ['get', 'name'], 'text-font': FONT, 'text-size': zoomed(10, 11, 14, 14), 'text-max-width': 8 },
        paint: { 'text-color': '#57534b', 'text-halo-color': HALO, 'text-halo-width': 1.5 },
      },
      {
        id: 'town-label', type: 'symbol', source: BASEMAP_SOURCE, 'source-layer': 'place', maxzoom: 14,
        filter: ['==', ['get', 'class'], 'town'],
        layout: {
          'text-field': ['get', 'name'], 'text-font': FONT_MEDIUM, 'text-size': zoomed(8, 12, 13, 18),
          'text-transform': 'uppercase', 'text-letter-spacing': 0.08,
        },
        paint: { 'text-color': '#4a463f', 'text-halo-color': HALO, 'text-halo-width': 2 },
      },
    ],
  };
}
