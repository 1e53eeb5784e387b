// The real ground the demo incidents are placed on: the streets of OS Open Map - Local
// (incidents fall on them, not in fields or the river), its water (which nothing may
// fall in) and the real places of concern, all from the shipped data/geography files.
// Hand-written uniform grids rather than a spatial-index package: the generator asks
// one nearest-segment question per incident (tens of millions for the 10M bench), and
// a grid over 30,000 short street segments answers it in a few array reads.
import type { LocationKind } from '@lantern/shared';
import { readGeodata, type BasemapProperties, type PlaceProperties } from '../geodata/files.js';

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
const cellKey = (cx: number, cy: number) => cx * 100_003 + cy;

/** Street segments in a grid: the nearest point on any street to a point. */
export class Streets {
  private readonly segments: number[] = [];
  private readonly names: string[] = [];
  private readonly grid = new Map<number, number[]>();

  constructor(lines: { coordinates: number[][]; name?: string }[]) {
    for (const line of lines) {
      for (let i = 1; i < line.coordinates.length; i++) {
        const [x1, y1] = toMetres(line.coordinates[i - 1]!);
        const [x2, y2] = toMetres(line.coordinates[i]!);
        const index = this.segments.length / 4;
        this.segments.push(x1, y1, x2, y2);
        this.names.push(line.name ?? '');
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

  /** The nearest point on a street (metres), the unit vector across it, and the street's name. */
  nearest(x: number, y: number): { x: number; y: number; nx: number; ny: number; name: string } {
    const cx = Math.floor(x / CELL);
    const cy = Math.floor(y / CELL);
    let best = Infinity;
    let found = { x, y, nx: 0, ny: 0, name: '' };
    for (let ring = 0; ring < 200; ring++) {
      // A segment in ring r+1 or beyond is at least r cells away.
      if (best <= ((ring - 1) * CELL) ** 2) break;
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
            found = { x: px, y: py, nx: -vy / length, ny: vx / length, name: this.names[index]! };
          }
        }
      }
    }
    return found;
  }
}

/** Water polygons in a grid: whether a point lies in the river, the canal or a lake. */
export class Water {
  private readonly polygons: { rings: [number, number][][]; box: [number, number, number, number] }[] = [];
  private readonly grid = new Map<number, number[]>();

  constructor(polygons: number[][][][]) {
    for (const polygon of polygons) {
      const rings = polygon.map((ring) => ring.map((position) => toMetres(position)));
      const xs = rings[0]!.map((p) => p[0]);
      const ys = rings[0]!.map((p) => p[1]);
      const box: [number, number, number, number] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      const index = this.polygons.length;
      this.polygons.push({ rings, box });
      for (let cx = Math.floor(box[0] / CELL); cx <= Math.floor(box[2] / CELL); cx++) {
        for (let cy = Math.floor(box[1] / CELL); cy <= Math.floor(box[3] / CELL); cy++) {
          const key = cellKey(cx, cy);
          const list = this.grid.get(key);
          if (list) list.push(index); else this.grid.set(key, [index]);
        }
      }
    }
  }

  contains(x: number, y: number): boolean {
    const list = this.grid.get(cellKey(Math.floor(x / CELL), Math.floor(y / CELL)));
    if (!list) return false;
    return list.some((index) => {
      const { rings, box } = this.polygons[index]!;
      if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) return false;
      let inside = false;
      for (const ring of rings) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i]!;
          const [xj, yj] = ring[j]!;
          if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
        }
      }
      return inside;
    });
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
  note: string;
}

export interface Ground {
  streets: Streets;
  water: Water;
  places: RealPlace[];
}

let ground: Ground | null = null;

/** Streets, water and real places, read once per process. */
export function realGround(): Ground {
  if (ground) return ground;
  const basemap = readGeodata<BasemapProperties>('basemap').features;
  const lines: { coordinates: number[][]; name?: string }[] = [];
  const water: number[][][][] = [];
  for (const feature of basemap) {
    const { layer, bridge, name } = feature.properties;
    const geometry = feature.geometry;
    // Bridges are left out, so nothing snaps onto the river under them.
    if (layer === 'road' && !bridge) {
      if (geometry.type === 'LineString') lines.push({ coordinates: geometry.coordinates, name });
      else if (geometry.type === 'MultiLineString') for (const part of geometry.coordinates) lines.push({ coordinates: part, name });
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
      centre: [round6(centre[0]!), round6(centre[1]!)], outline: outer as [number, number][] | undefined, note: feature.properties.note,
    };
  });
  ground = { streets: new Streets(lines), water: new Water(water), places };
  return ground;
}

/** Whether [lon, lat] lies inside a ring of [lon, lat] (ray casting). */
export function insideRing([x, y]: [number, number], ring: readonly [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
