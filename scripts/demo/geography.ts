// The real ground the demo incidents are placed on: the streets of OS Open Map - Local
// (incidents fall on them, not in fields or the river), its water (which nothing may
// fall in) and the real places of concern, all from the shipped data/geography files.
// Hand-written uniform grids rather than a spatial-index package: the generator asks
// one nearest-segment question per incident (tens of millions for the 10M bench), and
// a grid over 30,000 short street segments answers it in a few array reads.
import type { LocationKind } from '@lantern/shared';
import { readGeodata, type AreaProperties, type BasemapProperties, type PlaceProperties } from '../geodata/files.js';

// A local equirectangular projection in metres around the district's middle: good to
// about 0.3% across B&NES, far finer than a demo incident needs.
const LON0 = -2.45;
const LAT0 = 51.35;
const M_PER_DEG_LAT = 111_320;
const M_PER_DEG_LON = 111_320 * Math.cos((LAT0 * Math.PI) / 180);
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

export const toMetres = ([lon, lat]: readonly [number, number] | number[]): [number, number] =>
  [(lon! - LON0) * M_PER_DEG_LON, (lat! - LAT0) * M_PER_DEG_LAT];
export const toLonLat = (x: number, y: number): [number, number] =>
  [round6(LON0 + x / M_PER_DEG_LON), round6(LAT0 + y / M_PER_DEG_LAT)];

const CELL = 100;

/** Whether the edge (x1, y1)-(x2, y2) crosses the ray east of (x, y): one step of ray casting. */
const crossesRay = (x: number, y: number, x1: number, y1: number, x2: number, y2: number) =>
  (y1 > y) !== (y2 > y) && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1;
const cellKey = (cx: number, cy: number) => cx * 100_003 + cy;

/** Street segments in a grid: the nearest point on any street to a point. */
export class Streets {
  private readonly segments: number[] = [];
  /** Segments within a few metres of the district's edge: a point on them is not moved across the street. */
  private readonly edge: boolean[] = [];
  private readonly grid = new Map<number, number[]>();

  /** Lines in [lon, lat]; `keep` says whether a vertex (metres) may be used, `edge` whether it is at the border. */
  constructor(lines: number[][][], keep: (x: number, y: number) => boolean = () => true,
    edge: (x: number, y: number) => boolean = () => false) {
    for (const line of lines) {
      for (let i = 1; i < line.length; i++) {
        const [x1, y1] = toMetres(line[i - 1]!);
        const [x2, y2] = toMetres(line[i]!);
        if (!keep(x1, y1) || !keep(x2, y2)) continue;
        const index = this.segments.length / 4;
        this.segments.push(x1, y1, x2, y2);
        this.edge.push(edge(x1, y1) || edge(x2, y2));
        // Register the segment in every cell its bounding box touches (segments are short).
        for (let cx = Math.floor(Math.min(x1, x2) / CELL); cx <= Math.floor(Math.max(x1, x2) / CELL); cx++) {
          for (let cy = Math.floor(Math.min(y1, y2) / CELL); cy <= Math.floor(Math.max(y1, y2) / CELL); cy++) {
            const key = cellKey(cx, cy);
            const list = this.grid.get(key);
            if (list) list.push(index); else this.grid.set(key, [index]);
          }
        }
      }
    }
  }

  /** The nearest point on a street (metres), the unit vector across it, whether it is at the district's edge, and how far. */
  nearest(x: number, y: number, within = Infinity): { x: number; y: number; nx: number; ny: number; edge: boolean; distance: number } {
    const cx = Math.floor(x / CELL);
    const cy = Math.floor(y / CELL);
    let best = Infinity;
    let found = { x, y, nx: 0, ny: 0, edge: false, distance: Infinity };
    for (let ring = 0; ring < 200; ring++) {
      // A segment in ring r+1 or beyond is at least r cells away.
      if (best <= ((ring - 1) * CELL) ** 2 || (ring - 1) * CELL > within) break;
      // The cells on the ring's perimeter only.
      const cells: [number, number][] = [];
      if (ring === 0) cells.push([0, 0]);
      for (let d = -ring; d <= ring && ring > 0; d++) cells.push([d, -ring], [d, ring]);
      for (let d = -ring + 1; d < ring; d++) cells.push([-ring, d], [ring, d]);
      for (const [dx, dy] of cells) {
        const list = this.grid.get(cellKey(cx + dx, cy + dy));
        if (!list) continue;
        for (const index of list) {
          const x1 = this.segments[index * 4]!;
          const y1 = this.segments[index * 4 + 1]!;
          const vx = this.segments[index * 4 + 2]! - x1;
          const vy = this.segments[index * 4 + 3]! - y1;
          const length2 = vx * vx + vy * vy;
          const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x1) * vx + (y - y1) * vy) / length2));
          const px = x1 + t * vx;
          const py = y1 + t * vy;
          const d2 = (x - px) ** 2 + (y - py) ** 2;
          if (d2 < best) {
            best = d2;
            const length = Math.sqrt(length2) || 1;
            found = { x: px, y: py, nx: -vy / length, ny: vx / length, edge: this.edge[index]!, distance: Math.sqrt(d2) };
          }
        }
      }
    }
    return found;
  }
}

/**
 * Polygons by horizontal bands: whether a point lies in the river, the canal or a lake
 * (or in the district). A ray cast to the east only meets the edges of the point's band,
 * so a 20,000-vertex outline costs a few dozen edge tests per point.
 */
export class Polygons {
  private readonly edges: number[] = [];
  private readonly owner: number[] = [];
  private readonly bands = new Map<number, number[]>();

  /** Polygons as rings of [lon, lat] (outer ring first, then holes). */
  constructor(polygons: number[][][][]) {
    polygons.forEach((polygon, id) => {
      for (const ring of polygon) {
        const points = ring.map((position) => toMetres(position));
        for (let i = 1; i < points.length; i++) {
          const [x1, y1] = points[i - 1]!;
          const [x2, y2] = points[i]!;
          if (y1 === y2) continue; // a horizontal edge never crosses the ray
          const index = this.owner.length;
          this.edges.push(x1, y1, x2, y2);
          this.owner.push(id);
          for (let band = Math.floor(Math.min(y1, y2) / CELL); band <= Math.floor(Math.max(y1, y2) / CELL); band++) {
            const list = this.bands.get(band);
            if (list) list.push(index); else this.bands.set(band, [index]);
          }
        }
      }
    });
  }

  contains(x: number, y: number): boolean {
    const list = this.bands.get(Math.floor(y / CELL));
    if (!list) return false;
    const parity = new Map<number, boolean>();
    for (const index of list) {
      const x1 = this.edges[index * 4]!;
      const y1 = this.edges[index * 4 + 1]!;
      const x2 = this.edges[index * 4 + 2]!;
      const y2 = this.edges[index * 4 + 3]!;
      if (crossesRay(x, y, x1, y1, x2, y2)) {
        const id = this.owner[index]!;
        parity.set(id, !parity.get(id));
      }
    }
    for (const odd of parity.values()) if (odd) return true;
    return false;
  }
}

/** A real place of concern from the shipped open data. */
export interface RealPlace {
  ref: string;
  source: string;
  name: string;
  kind: LocationKind;
  centre: [number, number];
  /** Outer ring of an outline (parks, estates), [lon, lat][]. */
  outline?: [number, number][];
}

export interface Ground {
  streets: Streets;
  water: Polygons;
  places: RealPlace[];
}

let ground: Ground | null = null;

/** Streets, water and real places, read once per process. */
export function realGround(): Ground {
  if (ground) return ground;
  const basemap = readGeodata<BasemapProperties>('basemap').features;
  const lines: number[][][] = [];
  const water: number[][][][] = [];
  for (const feature of basemap) {
    const { layer, bridge } = feature.properties;
    const geometry = feature.geometry;
    // Bridges are left out, so nothing snaps onto the river under them.
    if (layer === 'road' && !bridge) {
      if (geometry.type === 'LineString') lines.push(geometry.coordinates);
      else if (geometry.type === 'MultiLineString') lines.push(...geometry.coordinates);
    } else if (layer === 'water') {
      if (geometry.type === 'Polygon') water.push(geometry.coordinates);
      else if (geometry.type === 'MultiPolygon') water.push(...geometry.coordinates);
    }
  }
  const places = readGeodata<PlaceProperties>('places').features.map((feature): RealPlace => {
    const geometry = feature.geometry;
    const outer = geometry.type === 'Polygon' ? geometry.coordinates[0]
      : geometry.type === 'MultiPolygon' ? geometry.coordinates[0]![0] : undefined;
    const centre = geometry.type === 'Point' ? geometry.coordinates
      : outer!.slice(0, -1).reduce((sum, p) => [sum[0]! + p[0]! / (outer!.length - 1), sum[1]! + p[1]! / (outer!.length - 1)], [0, 0]);
    return {
      ref: feature.properties.ref, source: feature.properties.source, name: feature.properties.name, kind: feature.properties.kind,
      centre: [round6(centre[0]!), round6(centre[1]!)], outline: outer as [number, number][] | undefined,
    };
  });
  // Streets inside the district only (OS tiles run past its edge), so every demo incident
  // lies in B&NES; within 6 m of the edge a point stays on the centre line.
  const district = readGeodata<AreaProperties>('areas').features.find((f) => f.properties.level === 'district')!.geometry;
  const outline = district.type === 'Polygon' ? [district.coordinates] : (district as GeoJSON.MultiPolygon).coordinates;
  const inside = new Polygons(outline);
  const border = new Streets(outline.flat());
  const streets = new Streets(lines, (x, y) => inside.contains(x, y), (x, y) => border.nearest(x, y, 6).distance < 6);
  ground = { streets, water: new Polygons(water), places };
  return ground;
}

/** Whether [lon, lat] lies inside a ring of [lon, lat] (ray casting). */
export function insideRing([x, y]: [number, number], ring: readonly [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (crossesRay(x, y, xi, yi, xj, yj)) inside = !inside;
  }
  return inside;
}
