// Hexagon tiles drawn in Node from their counts: a tile is a few hundred regular
// hexagons whose corners are known in closed form, so transforming them into the tile's
// grid, clipping them to its buffer and writing the vector tile is arithmetic, and the
// database is left to the counting only it (or the column copy) can do. The tiles are
// PostGIS's (ST_Hexagon, ST_AsMVTGeom with its clipping, ST_AsMVT): tests/integration/
// tile-hexagons.test.ts draws the same tiles with PostGIS and compares them.
import { fromGeojsonVt } from '@maplibre/vt-pbf';

/** Web Mercator's full width in metres (EPSG:3857 units). */
export const WORLD_WIDTH = 2 * 20037508.342789244;
/** The sphere's radius in Web Mercator (EPSG:3857). */
const EARTH_RADIUS = 6378137;
/** A tile's grid: 4096 units a side, features kept to 64 units beyond it. */
export const EXTENT = 4096;
export const BUFFER = 64;
/** ST_Hexagon's half height as a fraction of the side (PostGIS's constant). */
const H = 0.8660254037844387;

/** Hexagons of one grid as columns: column i, row j, episodes and harm. */
export interface HexagonColumns {
  i: ArrayLike<number>;
  j: ArrayLike<number>;
  episodes: ArrayLike<number>;
  harm: ArrayLike<number>;
}

export interface DrawnTile {
  mvt: Buffer;
  features: number;
}

/**
 * The centre in EPSG:3857 of the grid's hexagon (i, j) of side `size`: flat-topped,
 * anchored at the projection's origin, odd columns raised by half a row (ST_Hexagon's).
 */
export function hexagonCentre(size: number, i: number, j: number): [number, number] {
  return [1.5 * i * size, 2 * H * size * j + (i % 2 !== 0 ? H * size : 0)];
}

/** The hexagon's seven corners, the first repeated last, in EPSG:3857. */
export function hexagonCorners(size: number, i: number, j: number): [number, number][] {
  const [cx, cy] = hexagonCentre(size, i, j);
  const dx = [-1, -0.5, 0.5, 1, 0.5, -0.5, -1];
  const dy = [0, -1, -1, 0, 1, 1, 0];
  return dx.map((x, k) => [cx + x * size, cy + dy[k]! * H * size]);
}

/** Rounds half to even, as PostGIS snaps a point to the tile's grid (rint). */
function rint(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** A convex ring clipped to the box [low, high]² (Sutherland-Hodgman, one side at a time); open ring in, open ring out. */
function clipToBox(ring: [number, number][], low: number, high: number): [number, number][] {
  type Side = { inside: (p: [number, number]) => boolean; cross: (a: [number, number], b: [number, number]) => [number, number] };
  const along = (axis: 0 | 1, bound: number) => (a: [number, number], b: [number, number]): [number, number] => {
    const t = (bound - a[axis]) / (b[axis] - a[axis]);
    return axis === 0 ? [bound, a[1] + t * (b[1] - a[1])] : [a[0] + t * (b[0] - a[0]), bound];
  };
  const sides: Side[] = [
    { inside: (p) => p[0] >= low, cross: along(0, low) },
    { inside: (p) => p[0] <= high, cross: along(0, high) },
    { inside: (p) => p[1] >= low, cross: along(1, low) },
    { inside: (p) => p[1] <= high, cross: along(1, high) },
  ];
  let points = ring;
  for (const side of sides) {
    if (points.length === 0) break;
    const kept: [number, number][] = [];
    points.forEach((point, k) => {
      const previous = points[(k + points.length - 1) % points.length]!;
      if (side.inside(point)) {
        if (!side.inside(previous)) kept.push(side.cross(previous, point));
        kept.push(point);
      } else if (side.inside(previous)) {
        kept.push(side.cross(previous, point));
      }
    });
    points = kept;
  }
  return points;
}

/** Twice the ring's signed area in the tile's grid (y down): positive is clockwise on screen, the exterior ring's winding in a vector tile. */
function signedArea(ring: [number, number][]): number {
  let sum = 0;
  for (let k = 0; k < ring.length; k += 1) {
    const [x1, y1] = ring[k]!;
    const [x2, y2] = ring[(k + 1) % ring.length]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** A tile's address. */
export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/**
 * Tile z/x/y grown by `margin` tiles on each side (the buffer unless given), as [west,
 * south, east, north] in EPSG:3857, by ST_TileEnvelope's arithmetic (the same bounds to
 * the last bit).
 */
export function tileEnvelope({ z, x, y }: TileAddress, margin = BUFFER / EXTENT): [number, number, number, number] {
  const half = WORLD_WIDTH / 2;
  const tileSize = WORLD_WIDTH / 2 ** z;
  return [-half + tileSize * (x - margin), half - tileSize * (y + 1 + margin), -half + tileSize * (x + 1 + margin), half - tileSize * (y - margin)];
}

/**
 * The vector tile (layer "incidents") of tile z/x/y drawing the hexagons of side `size`
 * whose bounding box meets the tile grown by its buffer: each clipped to the buffer and
 * snapped to the tile's grid, with its count (episodes), harm (2 decimals) and density
 * (episodes per km² of ground: EPSG:3857 stretches both axes by 1/cos(latitude)), the
 * `cap` with the most episodes first. Hexagons left with no area are dropped.
 */
export function drawHexagonTile(z: number, x: number, y: number, size: number, hexagons: HexagonColumns, cap: number): DrawnTile {
  const tileSize = WORLD_WIDTH / 2 ** z;
  const [west, , , north] = tileEnvelope({ z, x, y }, 0);
  const [minX, minY, maxX, maxY] = tileEnvelope({ z, x, y });
  const scale = EXTENT / tileSize;
  const area = 3 * H * size * size;
  const order = Array.from({ length: hexagons.i.length }, (_, k) => k)
    .filter((k) => {
      const [cx, cy] = hexagonCentre(size, hexagons.i[k]!, hexagons.j[k]!);
      return hexagons.episodes[k]! > 0 && cx + size >= minX && cx - size <= maxX && cy + H * size >= minY && cy - H * size <= maxY;
    })
    .sort((a, b) => hexagons.episodes[b]! - hexagons.episodes[a]!)
    .slice(0, cap);
  const features = [];
  for (const k of order) {
    const corners = hexagonCorners(size, hexagons.i[k]!, hexagons.j[k]!).slice(0, 6)
      .map(([cx, cy]): [number, number] => [rint((cx - west) * scale), rint((north - cy) * scale)]);
    const snapped: [number, number][] = [];
    for (const point of clipToBox(corners, -BUFFER, EXTENT + BUFFER)) {
      const next: [number, number] = [Math.trunc(point[0]), Math.trunc(point[1])];
      const last = snapped[snapped.length - 1];
      if (!last || last[0] !== next[0] || last[1] !== next[1]) snapped.push(next);
    }
    while (snapped.length > 1 && snapped[0]![0] === snapped[snapped.length - 1]![0] && snapped[0]![1] === snapped[snapped.length - 1]![1]) snapped.pop();
    if (snapped.length < 3) continue;
    // A sliver at the buffer's corner under one unit of area is dropped, as PostGIS drops it.
    const twiceArea = signedArea(snapped);
    if (Math.abs(twiceArea) < 2) continue;
    const ring = twiceArea > 0 ? snapped : snapped.reverse();
    const [, centreY] = hexagonCentre(size, hexagons.i[k]!, hexagons.j[k]!);
    const latitude = 2 * Math.atan(Math.exp(centreY / EARTH_RADIUS)) - Math.PI / 2;
    features.push({
      type: 3 as const,
      geometry: [[...ring, ring[0]!]],
      tags: {
        count: hexagons.episodes[k]!,
        harm: round2(hexagons.harm[k]!),
        density: round2(hexagons.episodes[k]! / ((area * Math.cos(latitude) ** 2) / 1e6)),
      },
    });
  }
  if (features.length === 0) return { mvt: Buffer.alloc(0), features: 0 };
  const bytes = fromGeojsonVt({ incidents: { features } as never }, { version: 2, extent: EXTENT });
  return { mvt: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), features: features.length };
}
