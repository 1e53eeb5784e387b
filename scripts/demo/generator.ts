// Lantern's demo incidents: a deterministic function of a seed and the shipped real
// geography (same seed, same data). They reproduce the patterns DOMAIN.md states, so
// every screen has something true to show, and plant known hotspots (PLANTED_HOTSPOTS,
// docs/demo-data.md) at real places that the hotspot engine's tests can look for.
// Incidents fall on the real streets and at the real places of concern, never in the
// river. No incident or person is real: every incident row is flagged as demo, and so
// are the few invented places (stairwells, which no open data holds, and one car park).
import {
  ageBandOf,
  HARM_WEIGHTS,
  type AgeBand,
  type Category,
  type Ethnicity,
  type Gender,
  type LocationKind,
  type RoleInIncident,
} from '@lantern/shared';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import gazetteer from '../../data/gazetteer.json' with { type: 'json' };
import { insideRing, realGround, toLonLat, toMetres } from './geography.js';

export interface Locality {
  id: string;
  name: string;
  lat: number;
  lon: number;
  population: number;
  radiusM: number;
  trend: string;
  nightTimeEconomy?: boolean;
}

export const LOCALITIES: readonly Locality[] = gazetteer.localities;

/** The demo period: three years of whole months, fixed so the data never depends on today. */
export const DEMO_PERIOD = { from: '2023-11-01', to: '2026-10-31' } as const;
const PERIOD_START = Date.UTC(2023, 10, 1);
const PERIOD_DAYS = Math.round((Date.UTC(2026, 10, 1) - PERIOD_START) / 86_400_000);

export interface DemoLocation {
  ref: string;
  name: string;
  kind: LocationKind;
  /** The gazetteer locality the place belongs to (nearest within reach), if any. */
  locality: string | null;
  /** Centre [lon, lat]; outlines (parks, estates) also have their ring. */
  centre: [number, number];
  /** Outer ring [lon, lat][] (closed) of an outline. */
  outline?: [number, number][];
  reviewDate: string;
  /** Invented for the demo (stairwells, one car park); else a real place from data/geography, loaded with it. */
  demo: boolean;
}

export interface DemoIncident {
  ref: string;
  category: Category;
  source: 'police' | 'hospital_ed' | 'social_care' | 'oem';
  /** Local wall-clock time in Europe/London, "YYYY-MM-DD HH:MM". */
  localTime: string;
  lon: number;
  lat: number;
  age: number | null;
  ageBand: AgeBand;
  gender: Gender;
  ethnicity: Ethnicity;
  role: RoleInIncident;
  personRef: string;
  harm: number;
}

export interface DemoDataset {
  seed: number;
  localities: readonly Locality[];
  /** Every place the incidents were placed at: the real ones and the invented (demo) ones. */
  locations: DemoLocation[];
  incidents: DemoIncident[];
}

/** Bumped whenever the generator's output changes shape, so a start replaces older demo data. */
export const DEMO_VERSION = 3;

export interface DemoOptions {
  /** Multiplies every incident count: 1 gives the full demo (over 40,000 incidents). */
  scale?: number;
}

/** Known hotspots the generator plants at real places; docs/demo-data.md describes them. */
export const PLANTED_HOTSPOTS = [
  {
    id: 'bath-bus-station-after-school-robbery',
    description: 'After-school robbery (15-19, school days) at Bath bus station',
    location: 'Bath Bus Station',
    places: ['Bath Bus Station'],
    locality: 'bath-centre',
    centre: [-2.3591, 51.3778] as [number, number],
    categories: ['robbery'] as Category[],
    hours: '15-19',
  },
  {
    id: 'bath-night-time-economy',
    description: 'Night-time violence (22-04, Friday and Saturday) around the George Street bars',
    location: 'Revolution Bath',
    places: ['Revolution Bath', 'Zero Zero', 'Moles Club And Kitchen'],
    locality: 'bath-centre',
    centre: [-2.3618, 51.3849] as [number, number],
    categories: ['serious_violence', 'knife_crime'] as Category[],
    hours: '22-4',
  },
  {
    id: 'twerton-stairwell-cuckooing',
    description: 'Cuckooing and criminal exploitation at a Twerton estate stairwell',
    location: 'Twerton estate stairwell, block C',
    places: ['Twerton estate stairwell, block C'],
    locality: 'twerton',
    centre: [-2.4011, 51.3801] as [number, number],
    categories: ['cuckooing', 'cce', 'county_lines'] as Category[],
    hours: null,
  },
  {
    id: 'midsomer-norton-county-line',
    description: 'County line run from a Midsomer Norton car park, active Jan-Sep 2024, then dismantled',
    location: 'Midsomer Norton South Road car park',
    places: ['Midsomer Norton South Road car park'],
    locality: 'midsomer-norton',
    centre: [-2.481, 51.2853] as [number, number],
    categories: ['county_lines', 'drugs'] as Category[],
    hours: null,
  },
  {
    id: 'keynsham-emerging-violence',
    description: 'Violence and robbery at the Temple Street pubs in Keynsham, rising sharply over the last year',
    location: 'Trout Tavern',
    places: ['Trout Tavern', 'The Ship Inn'],
    locality: 'keynsham',
    centre: [-2.4973, 51.4127] as [number, number],
    categories: ['serious_violence', 'robbery'] as Category[],
    hours: null,
  },
] as const;

// ---- seeded randomness --------------------------------------------------------------

export class Random {
  private readonly generator;
  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed);
    // The first outputs of a small seed are poorly mixed; skip them.
    for (let i = 0; i < 16; i++) uniformFloat64(this.generator);
  }
  next(): number {
    return uniformFloat64(this.generator);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return items[items.length - 1]![0];
  }
  normal(): number {
    // Box-Muller; 1 - next() keeps the logarithm finite.
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
}

// ---- geometry in metres around a point (good to a few metres at this scale) --------

const METRES_PER_DEGREE = 111_320;
function offset([lon, lat]: [number, number], east: number, north: number): [number, number] {
  return [
    round6(lon + east / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180))),
    round6(lat + north / METRES_PER_DEGREE),
  ];
}
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

// ---- places -------------------------------------------------------------------------

const STAIRWELL_BLOCKS = ['A', 'B', 'C'];
/** The planted car park: no open data holds Midsomer Norton's car parks, so it is invented, on South Road. */
const SOUTH_ROAD_CAR_PARK = PLANTED_HOTSPOTS[3];
const TWERTON_BLOCK_C = PLANTED_HOTSPOTS[2];

/** The locality a place belongs to: the nearest centre within 1.8 radii and 300 m. */
function localityOf([lon, lat]: [number, number]): string | null {
  const [x, y] = toMetres([lon, lat]);
  let best: { id: string; distance: number } | null = null;
  for (const locality of LOCALITIES) {
    const [lx, ly] = toMetres([locality.lon, locality.lat]);
    const distance = Math.hypot(x - lx, y - ly);
    if (distance <= locality.radiusM * 1.8 + 300 && (!best || distance < best.distance)) best = { id: locality.id, distance };
  }
  return best?.id ?? null;
}

const areas = new WeakMap<object, number>();
/** An outline's area in m² (shoelace in local metres), kept per ring. */
function outlineArea(ring: [number, number][]): number {
  let area = areas.get(ring);
  if (area === undefined) {
    const points = ring.map((p) => toMetres(p));
    area = 0;
    for (let i = 1; i < points.length; i++) area += points[i - 1]![0] * points[i]![1] - points[i]![0] * points[i - 1]![1];
    area = Math.abs(area) / 2;
    areas.set(ring, area);
  }
  return area;
}

/** A point inside an outline, uniformly (rejection sampling in its box); its centre if none is found. */
function pointInside(random: Random, place: DemoLocation): [number, number] {
  const ring = place.outline!;
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  const [west, east, south, north] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  for (let attempt = 0; attempt < 30; attempt++) {
    const point: [number, number] = [west + random.next() * (east - west), south + random.next() * (north - south)];
    if (insideRing(point, ring)) return point;
  }
  return place.centre;
}

/** A point on the nearest street to [lon, lat], up to 5 m either side of its centre line, never in water. */
function onStreet(random: Random, [lon, lat]: [number, number]): [number, number] {
  const { streets, water } = realGround();
  const [x, y] = toMetres([lon, lat]);
  const street = streets.nearest(x, y);
  const across = street.edge ? 0 : (random.next() * 2 - 1) * 5;
  const px = street.x + across * street.nx;
  const py = street.y + across * street.ny;
  return water.contains(px, py) ? toLonLat(street.x, street.y) : toLonLat(px, py);
}

/** [lon, lat] as it is unless it lies in water, else on the nearest street. */
function dry(random: Random, point: [number, number]): [number, number] {
  const [x, y] = toMetres(point);
  return realGround().water.contains(x, y) ? onStreet(random, point) : point;
}

/**
 * The places incidents happen at: every real place of concern (data/geography, loaded
 * with the geography, not by the demo) and the invented ones the demo adds: stairwells
 * inside the estates (blocks A-C in Twerton, A-B elsewhere) and the planted car park.
 */
function makeLocations(random: Random): DemoLocation[] {
  const reviewDate = (n: number) => `2027-0${1 + (n % 6)}-15`;
  const real: DemoLocation[] = realGround().places.map((place, index) => ({
    ref: `${place.source}:${place.ref}`, name: place.name, kind: place.kind, locality: localityOf(place.centre),
    centre: place.centre, ...(place.outline ? { outline: place.outline } : {}), reviewDate: reviewDate(index), demo: false,
  }));
  const invented: DemoLocation[] = [];
  const add = (name: string, kind: LocationKind, centre: [number, number]) => invented.push({
    ref: `demo-place-${invented.length + 1}`, name, kind, locality: localityOf(centre), centre, reviewDate: reviewDate(invented.length), demo: true,
  });
  for (const estate of real.filter((place) => place.kind === 'housing_estate')) {
    const estateName = estate.name.replace(/ \(approximate\)$/, '');
    const twerton = estateName.startsWith('Twerton');
    for (const block of STAIRWELL_BLOCKS.slice(0, twerton ? 3 : 2)) {
      const name = `${estateName} stairwell, block ${block}`;
      if (name === TWERTON_BLOCK_C.location) add(name, 'stairwell', TWERTON_BLOCK_C.centre);
      // A stairwell stands beside a street inside the estate.
      else add(name, 'stairwell', onStreet(random, pointInside(random, estate)));
    }
  }
  add(SOUTH_ROAD_CAR_PARK.location, 'car_park', SOUTH_ROAD_CAR_PARK.centre);
  return [...real, ...invented];
}

// ---- people -------------------------------------------------------------------------

interface Person {
  ref: string;
  age: number | null;
  gender: Gender;
  ethnicity: Ethnicity;
  home: Locality;
}

const ETHNICITY_WEIGHTS: [Ethnicity, number][] = [
  ['white', 88], ['asian', 3], ['black', 2], ['mixed', 3], ['other', 1], ['unknown', 3],
];

// ---- incidents ----------------------------------------------------------------------

interface Scenario {
  name: string;
  category: Category;
  source: DemoIncident['source'];
  count: number;
  role: RoleInIncident | [RoleInIncident, number][];
  /** Where: localities with weights; default is by population. */
  localities?: [string, number][];
  /** Share of incidents at a place of these kinds (else on a street in the locality); `names` picks planted places. */
  places?: { kinds: LocationKind[]; share: number; names?: readonly string[] };
  /** Hour weights: [hours, weight][], e.g. [[[15,16,17,18], 6], [ALL, 1]]. */
  hours: [number[], number][];
  /** Weekday weights, ISO order Monday first; default flat. */
  weekdays?: number[];
  /** Age (years) weights: [[min, max], weight][]; null age = unknown. */
  ages: [[number, number] | null, number][];
  /** Probability the person is male (else female, with 1% other/unknown). */
  male: number;
  /** People: a pool of this many, reused (episodes > people); 0 = a new person each time. */
  pool?: number;
  /** Active window as day offsets within the period; default the whole period. */
  window?: [number, number];
  /** Extra growth over the period on top of each locality's own trend. */
  growth?: number;
  /** Spread in metres around a chosen place. */
  spreadM?: number;
}

const ALL_HOURS = Array.from({ length: 24 }, (_, h) => h);
const range = (from: number, to: number) => Array.from({ length: (to - from + 24) % 24 || 24 }, (_, i) => (from + i) % 24);
const AFTER_SCHOOL = range(15, 19);
const NIGHT = range(22, 4);
const SCHOOL_DAYS = [1, 1, 1, 1, 1, 0.25, 0.2];
const WEEKEND_NIGHTS = [0.5, 0.5, 0.7, 0.9, 2.2, 2.6, 1.0];
const SOMER_VALLEY: [string, number][] = [
  ['midsomer-norton', 3], ['radstock', 2], ['paulton', 2], ['peasedown', 1.5], ['westfield', 1.5],
];
const dayOffset = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - PERIOD_START) / 86_400_000);

function scenarios(scale: number): Scenario[] {
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  return [
    {
      name: 'night-time violence, Bath centre and town centres',
      category: 'serious_violence', source: 'police', count: n(3600),
      role: [['victim', 1], ['suspect', 1]],
      localities: [['bath-centre', 10], ['keynsham', 1.5], ['midsomer-norton', 1.2]],
      places: { kinds: ['licensed_premises', 'takeaway'], share: 0.7 },
      hours: [[NIGHT, 12], [range(19, 22), 2], [ALL_HOURS, 0.5]],
      weekdays: WEEKEND_NIGHTS,
      ages: [[[18, 24], 5], [[25, 34], 4], [[35, 49], 1.5], [[15, 17], 0.5]],
      male: 0.8,
    },
    {
      name: 'planted: George Street night-time violence',
      category: 'serious_violence', source: 'police', count: n(700),
      role: [['victim', 1], ['suspect', 1]],
      localities: [['bath-centre', 1]],
      places: { kinds: ['licensed_premises'], share: 1, names: PLANTED_HOTSPOTS[1].places },
      // Planted hotspots happen only in their hours, so a test can look for them there and not elsewhere.
      hours: [[NIGHT, 1]],
      weekdays: [0.3, 0.3, 0.5, 0.8, 2.5, 3, 0.8],
      ages: [[[18, 24], 5], [[25, 34], 4], [[35, 49], 1]],
      male: 0.82, spreadM: 35,
    },
    {
      name: 'hospital violence admissions, early hours',
      category: 'serious_violence', source: 'hospital_ed', count: n(900),
      role: 'victim',
      localities: [['bath-centre', 6], ['twerton', 1.5], ['keynsham', 1.5], ...SOMER_VALLEY],
      hours: [[range(0, 5), 10], [NIGHT, 4], [ALL_HOURS, 0.6]],
      weekdays: WEEKEND_NIGHTS,
      ages: [[[18, 24], 3], [[25, 34], 4], [[35, 49], 2], [[15, 17], 0.6]],
      male: 0.72,
    },
    {
      name: 'after-school robbery',
      category: 'robbery', source: 'police', count: n(2300),
      role: [['victim', 2], ['suspect', 1]],
      localities: [['bath-centre', 5], ['twerton', 2], ['keynsham', 2], ['odd-down', 1], ['weston', 1], ...SOMER_VALLEY],
      places: { kinds: ['transport_hub', 'shop', 'park', 'school'], share: 0.6 },
      hours: [[AFTER_SCHOOL, 14], [range(19, 22), 2], [ALL_HOURS, 0.6]],
      weekdays: SCHOOL_DAYS,
      ages: [[[10, 14], 3], [[15, 17], 5], [[18, 24], 2], [[25, 34], 0.6]],
      male: 0.78,
    },
    {
      name: 'planted: Bath bus station after-school robbery',
      category: 'robbery', source: 'police', count: n(450),
      role: [['victim', 2], ['suspect', 1]],
      localities: [['bath-centre', 1]],
      places: { kinds: ['transport_hub'], share: 1, names: PLANTED_HOTSPOTS[0].places },
      hours: [[AFTER_SCHOOL, 1]],
      weekdays: SCHOOL_DAYS,
      ages: [[[10, 14], 3], [[15, 17], 6], [[18, 24], 1]],
      male: 0.8, spreadM: 40,
    },
    {
      name: 'hospital knife attendances',
      category: 'knife_crime', source: 'hospital_ed', count: n(950),
      role: 'victim',
      localities: [['bath-centre', 5], ['twerton', 2], ['keynsham', 1.5], ...SOMER_VALLEY],
      hours: [[AFTER_SCHOOL, 9], [range(0, 5), 6], [ALL_HOURS, 0.8]],
      weekdays: [1, 1, 1, 1, 1.3, 1.3, 0.9],
      // Knife-crime victims at hospital: mainly aged 25-34, usually male.
      ages: [[[25, 34], 10], [[18, 24], 4], [[15, 17], 2.5], [[35, 49], 2.5]],
      male: 0.88,
    },
    {
      name: 'knife possession and knife crime',
      category: 'knife_crime', source: 'police', count: n(900),
      role: [['suspect', 3], ['victim', 1]],
      localities: [['bath-centre', 5], ['twerton', 2], ['keynsham', 1.5], ...SOMER_VALLEY],
      places: { kinds: ['park', 'transport_hub', 'licensed_premises'], share: 0.5 },
      hours: [[AFTER_SCHOOL, 6], [NIGHT, 6], [ALL_HOURS, 1]],
      ages: [[[15, 17], 4], [[18, 24], 5], [[25, 34], 3]],
      male: 0.9,
    },
    {
      name: 'violent children (suspects under 18)',
      category: 'serious_violence', source: 'police', count: n(1300),
      role: 'suspect',
      localities: [['bath-centre', 3], ['twerton', 3], ['whiteway', 1.5], ['odd-down', 1.5], ['keynsham', 2], ...SOMER_VALLEY],
      places: { kinds: ['park', 'school', 'transport_hub', 'housing_estate'], share: 0.55 },
      hours: [[AFTER_SCHOOL, 10], [range(19, 22), 5], [ALL_HOURS, 0.8]],
      weekdays: [1, 1, 1, 1, 1.3, 1.4, 1],
      // Children who have been violent: mostly 15-17, almost all male.
      ages: [[[15, 17], 10], [[13, 14], 2.5], [[10, 12], 0.5]],
      male: 0.95, pool: 260,
    },
    {
      name: 'county line: Paulton / Midsomer Norton',
      category: 'county_lines', source: 'police', count: n(550),
      role: [['person_at_risk', 2], ['suspect', 1]],
      localities: [['midsomer-norton', 3], ['paulton', 2]],
      places: { kinds: ['car_park', 'stairwell', 'park', 'housing_estate'], share: 0.85, names: PLANTED_HOTSPOTS[3].places },
      hours: [[range(14, 23), 5], [ALL_HOURS, 1]],
      ages: [[[15, 17], 5], [[18, 24], 4], [[25, 34], 1.5], [[13, 14], 1]],
      male: 0.85, pool: 40, window: [dayOffset('2024-01-08'), dayOffset('2024-09-20')], spreadM: 60,
    },
    {
      name: 'county line: Bath',
      category: 'county_lines', source: 'police', count: n(500),
      role: [['person_at_risk', 2], ['suspect', 1]],
      localities: [['bath-centre', 2], ['twerton', 3], ['whiteway', 1.5], ['foxhill', 1]],
      places: { kinds: ['stairwell', 'housing_estate', 'park'], share: 0.8 },
      hours: [[range(14, 23), 5], [ALL_HOURS, 1]],
      ages: [[[15, 17], 5], [[18, 24], 4], [[25, 34], 1.5], [[13, 14], 1]],
      male: 0.85, pool: 35, window: [dayOffset('2024-05-01'), dayOffset('2025-02-28')],
    },
    ...(['2025-04-07', '2025-09-15', '2026-03-02'] as const).map((start, index): Scenario => ({
      name: `county line disrupted while setting up in Bath (${index + 1})`,
      category: 'county_lines', source: 'police', count: n(70),
      role: [['person_at_risk', 2], ['suspect', 1]],
      localities: [['bath-centre', 1], ['twerton', 1], ['foxhill', 1]],
      places: { kinds: ['stairwell', 'housing_estate', 'hotel'], share: 0.9 },
      hours: [[range(14, 23), 5], [ALL_HOURS, 1]],
      ages: [[[15, 17], 4], [[18, 24], 4], [[25, 34], 2]],
      male: 0.85, pool: 8, window: [dayOffset(start), dayOffset(start) + 35],
    })),
    {
      name: 'drug supply linked to county lines',
      category: 'drugs', source: 'police', count: n(700),
      role: 'suspect',
      localities: [['midsomer-norton', 3], ['paulton', 2], ['twerton', 2], ['bath-centre', 2]],
      places: { kinds: ['car_park', 'stairwell', 'park'], share: 0.7 },
      hours: [[range(14, 23), 5], [ALL_HOURS, 1]],
      ages: [[[15, 17], 3], [[18, 24], 4], [[25, 34], 2]],
      male: 0.85, window: [dayOffset('2024-01-08'), dayOffset('2025-02-28')],
    },
    {
      name: 'cuckooing at estates',
      category: 'cuckooing', source: 'oem', count: n(420),
      role: 'person_at_risk',
      localities: [['twerton', 3], ['whiteway', 2], ['foxhill', 2], ['odd-down', 1.5], ['radstock', 1.5], ['midsomer-norton', 1.5]],
      places: { kinds: ['housing_estate', 'stairwell'], share: 0.9 },
      hours: [[range(10, 23), 3], [ALL_HOURS, 1]],
      // Vulnerable adults whose homes are taken over, reported repeatedly per address.
      ages: [[[35, 49], 4], [[50, 75], 3], [[25, 34], 2]],
      male: 0.6, pool: 60, spreadM: 50,
    },
    {
      name: 'planted: Twerton stairwell cuckooing and exploitation',
      category: 'cuckooing', source: 'oem', count: n(220),
      role: 'person_at_risk',
      localities: [['twerton', 1]],
      places: { kinds: ['stairwell'], share: 1, names: PLANTED_HOTSPOTS[2].places },
      hours: [[range(12, 24), 3], [ALL_HOURS, 1]],
      ages: [[[35, 49], 4], [[50, 75], 3], [[25, 34], 2]],
      male: 0.6, pool: 14, spreadM: 25,
    },
    {
      name: 'planted: Keynsham emerging violence',
      category: 'serious_violence', source: 'police', count: n(500),
      role: [['victim', 1], ['suspect', 1]],
      localities: [['keynsham', 1]],
      places: { kinds: ['licensed_premises'], share: 1, names: PLANTED_HOTSPOTS[4].places },
      hours: [[range(18, 24), 5], [range(15, 19), 3], [ALL_HOURS, 0.5]],
      ages: [[[15, 17], 3], [[18, 24], 5], [[25, 34], 2]],
      male: 0.8, window: [dayOffset('2025-08-01'), PERIOD_DAYS - 1], growth: 3, spreadM: 45,
    },
    {
      name: 'domestic abuse',
      category: 'domestic_abuse', source: 'police', count: n(5200),
      role: 'victim',
      hours: [[range(19, 24), 5], [range(0, 4), 5], [ALL_HOURS, 1.5]],
      weekdays: [1, 0.9, 0.9, 1, 1.2, 1.5, 1.4],
      ages: [[[18, 24], 2], [[25, 34], 4], [[35, 49], 3.5], [[50, 80], 1.2]],
      male: 0.22, pool: 2600,
    },
    {
      name: 'anti-social behaviour',
      category: 'asb', source: 'police', count: n(16500),
      role: 'unknown',
      places: { kinds: ['park', 'shop', 'takeaway', 'transport_hub', 'car_park', 'other', 'housing_estate'], share: 0.5 },
      hours: [[range(15, 23), 4], [ALL_HOURS, 1]],
      weekdays: [1, 1, 1, 1, 1.3, 1.4, 1.1],
      ages: [[[10, 14], 2], [[15, 17], 3], [[18, 24], 2], [[25, 49], 1], [null, 3]],
      male: 0.7,
    },
    {
      name: 'other serious violence (daytime)',
      category: 'serious_violence', source: 'police', count: n(1800),
      role: [['victim', 1], ['suspect', 1]],
      hours: [[range(9, 19), 3], [ALL_HOURS, 1]],
      ages: [[[15, 17], 1], [[18, 24], 2], [[25, 34], 2], [[35, 49], 2], [[50, 80], 1]],
      male: 0.7,
    },
    {
      name: 'drugs possession',
      category: 'drugs', source: 'police', count: n(2300),
      role: 'suspect',
      places: { kinds: ['park', 'car_park', 'licensed_premises'], share: 0.4 },
      hours: [[range(18, 24), 3], [ALL_HOURS, 1]],
      ages: [[[15, 17], 1.5], [[18, 24], 4], [[25, 34], 3], [[35, 49], 1.5]],
      male: 0.82,
    },
    {
      name: 'other incidents',
      category: 'other', source: 'police', count: n(2600),
      role: 'unknown',
      hours: [[range(8, 22), 3], [ALL_HOURS, 1]],
      ages: [[[10, 17], 1], [[18, 49], 3], [[50, 80], 1], [null, 2]],
      male: 0.6,
    },
  ];
}

/** Weight of an instant for a locality's trend: rising places grow about 2.3x over three years. */
function trendWeight(locality: Locality, t: number, extraGrowth = 0): number {
  const base = locality.trend === 'rising' ? 0.6 + 0.8 * t : 1;
  return base * (1 + extraGrowth * t);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function localTimeString(day: number, hour: number, minute: number): string {
  const date = new Date(PERIOD_START + day * 86_400_000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(hour)}:${pad(minute)}`;
}

/** ISO weekday index 0 (Monday) - 6 (Sunday) of a day offset in the period. */
function weekdayIndex(day: number): number {
  return (new Date(PERIOD_START + day * 86_400_000).getUTCDay() + 6) % 7;
}

class IncidentFactory {
  private personCounter = 0;
  private incidentCounter = 0;
  private readonly byLocality = new Map<string, DemoLocation[]>();
  readonly incidents: DemoIncident[] = [];

  constructor(
    private readonly random: Random,
    locations: DemoLocation[],
  ) {
    for (const location of locations) {
      if (!location.locality) continue;
      const list = this.byLocality.get(location.locality) ?? [];
      list.push(location);
      this.byLocality.set(location.locality, list);
    }
  }

  newPerson(scenario: Pick<Scenario, 'ages' | 'male'>, home: Locality): Person {
    const random = this.random;
    const span = random.weighted(scenario.ages);
    const age = span === null ? null : random.int(span[0], span[1]);
    const roll = random.next();
    const gender: Gender = roll < scenario.male ? 'male' : roll < 0.99 ? 'female' : random.pick(['other', 'unknown'] as const);
    this.personCounter += 1;
    return {
      ref: `demo-person-${this.personCounter.toString(36).padStart(5, '0')}`,
      age,
      gender,
      ethnicity: random.weighted(ETHNICITY_WEIGHTS),
      home,
    };
  }

  private chooseLocality(scenario: Scenario): Locality {
    const weights: [string, number][] = scenario.localities
      ?? LOCALITIES.map((locality) => [locality.id, locality.population]);
    const id = this.random.weighted(weights);
    return LOCALITIES.find((locality) => locality.id === id)!;
  }

  /** A day in the period, weighted by the locality's trend, the window and weekdays. */
  private chooseDay(scenario: Pick<Scenario, 'window' | 'weekdays' | 'growth'>, locality: Locality): number {
    const [first, last] = scenario.window ?? [0, PERIOD_DAYS - 1];
    const weekdays = scenario.weekdays ?? [1, 1, 1, 1, 1, 1, 1];
    const maxWeight = Math.max(...weekdays) * trendWeight(locality, 1, scenario.growth) * 1.1 + 1;
    for (;;) {
      const day = this.random.int(first, last);
      const t = day / (PERIOD_DAYS - 1);
      const weight = weekdays[weekdayIndex(day)]! * trendWeight(locality, t, scenario.growth);
      if (this.random.next() * maxWeight < weight) return day;
    }
  }

  /**
   * Where an incident happens: at a place of the scenario's kinds (inside a park, on a
   * street of an estate, on the street by a point place or at it), else on a street
   * around the locality's centre. Never in water.
   */
  private choosePoint(scenario: Pick<Scenario, 'places' | 'spreadM'>, locality: Locality): [number, number] {
    const random = this.random;
    const places = scenario.places;
    if (places && random.chance(places.share)) {
      const local = this.byLocality.get(locality.id) ?? [];
      const candidates = places.names
        ? local.filter((place) => places.names!.includes(place.name))
        : local.filter((place) => places.kinds.includes(place.kind));
      if (candidates.length > 0) {
        const place = random.pick(candidates);
        // A big outline (a park, an estate) holds its incidents; a small one (a play
        // space, a parade of shops) is treated as a point, so it is not a needle-sharp cluster.
        if (place.outline && outlineArea(place.outline) >= 20_000) {
          const inside = pointInside(random, place);
          return place.kind === 'housing_estate' ? onStreet(random, inside) : dry(random, inside);
        }
        const spread = scenario.spreadM ?? 35;
        const near = offset(place.centre, random.normal() * spread, random.normal() * spread);
        // Planted hotspots happen at the place itself; elsewhere two in three on the street outside.
        return places.names || random.chance(0.35) ? dry(random, near) : onStreet(random, near);
      }
    }
    const spread = locality.radiusM / 1.6;
    return onStreet(random, offset([locality.lon, locality.lat], random.normal() * spread, random.normal() * spread));
  }

  add(scenario: Scenario, pool: Person[]): void {
    const random = this.random;
    const locality = this.chooseLocality(scenario);
    let person: Person;
    if (scenario.pool) {
      // Repeat involvement: earlier people are drawn more often (a few people, many episodes).
      const index = Math.floor(scenario.pool * random.next() ** 1.8);
      person = pool[index] ??= this.newPerson(scenario, locality);
    } else {
      person = this.newPerson(scenario, locality);
    }
    const home = scenario.pool ? person.home : locality;
    const day = this.chooseDay(scenario, home);
    const hour = random.pick(random.weighted(scenario.hours));
    const [lon, lat] = this.choosePoint(scenario, home);
    const role = typeof scenario.role === 'string' ? scenario.role : random.weighted(scenario.role);
    this.push(person, scenario.category, scenario.source, localTimeString(day, hour, random.int(0, 59)), [lon, lat], role);
  }

  /** One incident row: the person's attributes with what happened, when and where. */
  private push(person: Person, category: Category, source: DemoIncident['source'], localTime: string,
    [lon, lat]: [number, number], role: RoleInIncident): void {
    this.incidentCounter += 1;
    this.incidents.push({
      ref: `demo-${this.incidentCounter.toString().padStart(7, '0')}`,
      category,
      source,
      localTime,
      lon,
      lat,
      age: person.age,
      ageBand: ageBandOf(person.age),
      gender: person.gender,
      ethnicity: person.ethnicity,
      role,
      personRef: person.ref,
      harm: HARM_WEIGHTS[category],
    });
  }

  /**
   * A peer group harmed together (docs/demo-data.md): `episodes` incidents, each naming
   * two or more of the members at once (one row per member, same minute, same point) at
   * one of the places the group uses.
   */
  private addGroup(members: Person[], places: DemoLocation[], episodes: number, plan: {
    categories: [Category, number][]; roles: [RoleInIncident, number][]; hours: number[]; window: [number, number]; fewest: number;
  }): void {
    const random = this.random;
    for (let k = 0; k < episodes; k++) {
      const place = random.pick(places);
      const locality = LOCALITIES.find((candidate) => candidate.id === place.locality) ?? LOCALITIES[0]!;
      const day = this.chooseDay({ window: plan.window }, locality);
      const point = this.choosePoint({ places: { kinds: [place.kind], share: 1, names: [place.name] }, spreadM: 10 }, locality);
      const localTime = localTimeString(day, random.pick(plan.hours), random.int(0, 59));
      const category = random.weighted(plan.categories);
      const present = members.filter(() => random.chance(0.7));
      const together = present.length >= plan.fewest ? present : members.slice(0, plan.fewest);
      for (const person of together) this.push(person, category, 'police', localTime, point, random.weighted(plan.roles));
    }
  }

  /** A place of a kind in a locality (the first by name, so the same for a seed), or a named one. */
  private placeIn(locality: string, kind: LocationKind, name?: string): DemoLocation | null {
    const local = (this.byLocality.get(locality) ?? []).filter((place) => place.kind === kind && (!name || place.name === name));
    return local.sort((a, b) => a.name.localeCompare(b.name))[0] ?? null;
  }

  /**
   * The people patterns issue 32's analyses must find (docs/demo-data.md): a county-lines
   * peer group of six CCE children at four places in Twerton and Bath, a CSE peer group
   * of four girls in Bath centre, and twelve boys harmed first and harming later.
   */
  addPeoplePatterns(cce: Person[], cse: Person[], scale: number): void {
    const random = this.random;
    const n = (value: number) => Math.max(2, Math.round(value * Math.min(1, scale * 2)));
    const linesPlaces = [
      this.placeIn('twerton', 'stairwell', 'Twerton estate stairwell, block C'), this.placeIn('twerton', 'park'),
      this.placeIn('twerton', 'takeaway'), this.placeIn('bath-centre', 'transport_hub'),
    ].filter((place): place is DemoLocation => place !== null);
    // The groups are the same at every scale: a handful of incidents each.
    this.addGroup(cce.slice(0, 6), linesPlaces, 24, {
      categories: [['county_lines', 6], ['drugs', 3], ['cce', 1]], roles: [['person_at_risk', 3], ['suspect', 1]],
      hours: range(16, 23), window: [PERIOD_DAYS - 640, PERIOD_DAYS - 1], fewest: 3,
    });
    const csePlaces = [this.placeIn('bath-centre', 'hotel'), this.placeIn('bath-centre', 'takeaway'), this.placeIn('bath-centre', 'park')]
      .filter((place): place is DemoLocation => place !== null);
    this.addGroup(cse.slice(-4), csePlaces, 14, {
      categories: [['cse', 1]], roles: [['victim', 2], ['person_at_risk', 1]],
      hours: range(18, 23), window: [PERIOD_DAYS - 400, PERIOD_DAYS - 1], fewest: 2,
    });
    // Victims who later appear as suspects: violence or robbery against them in the first
    // half of the period, violence or knife crime by them in the second.
    const half = Math.floor(PERIOD_DAYS / 2);
    const homes = ['bath-centre', 'twerton', 'keynsham'];
    for (let k = 0; k < n(12); k++) {
      const home = LOCALITIES.find((locality) => locality.id === homes[k % homes.length])!;
      const boy = this.newPerson({ ages: [[[15, 17], 1]], male: 0.97 }, home);
      const at = (window: [number, number], categories: [Category, number][], role: RoleInIncident) => {
        const day = this.chooseDay({ window }, home);
        const hour = random.pick(random.weighted<number[]>([[AFTER_SCHOOL, 3], [range(19, 23), 2]]));
        this.push(boy, random.weighted(categories), 'police', localTimeString(day, hour, random.int(0, 59)),
          this.choosePoint({ places: { kinds: ['park', 'takeaway', 'transport_hub'], share: 0.6 } }, home), role);
      };
      for (let i = random.int(1, 2); i > 0; i--) at([0, half - 1], [['robbery', 1], ['serious_violence', 1]], 'victim');
      for (let i = random.int(1, 3); i > 0; i--) at([half, PERIOD_DAYS - 1], [['serious_violence', 2], ['knife_crime', 1]], 'suspect');
    }
  }

  /**
   * Children at risk of criminal (CCE) and sexual (CSE) exploitation, with overlap:
   * 69 CCE and 57 CSE children of whom 20 are in both groups (106 distinct children),
   * and repeat missing episodes by some of the same children.
   */
  addExploitedChildren(scale: number): void {
    const random = this.random;
    const count = (value: number) => Math.max(1, Math.round(value * Math.min(1, scale * 2)));
    const bothCount = count(20);
    const cceOnly = count(69) - bothCount;
    const cseOnly = count(57) - bothCount;
    const homes: [string, number][] = [['twerton', 3], ['bath-centre', 2], ['whiteway', 2], ['foxhill', 1.5],
      ['odd-down', 1.5], ['keynsham', 2], ...SOMER_VALLEY];
    const child = (male: number) => {
      const homeId = random.weighted(homes);
      const home = LOCALITIES.find((locality) => locality.id === homeId)!;
      // Children 12-17, plus care leavers 18-24 still at risk.
      return this.newPerson({ ages: [[[12, 14], 3], [[15, 17], 6], [[18, 24], 1]], male }, home);
    };
    const cce = [...Array.from({ length: bothCount }, () => child(0.7)), ...Array.from({ length: cceOnly }, () => child(0.85))];
    const cse = [...cce.slice(0, bothCount), ...Array.from({ length: cseOnly }, () => child(0.2))];
    const episodes = (person: Person, scenario: Scenario, mean: number) => {
      const times = 1 + Math.floor(-Math.log(1 - random.next()) * (mean - 1));
      for (let i = 0; i < times; i++) this.add({ ...scenario, pool: 1 }, [person]);
    };
    const cceScenario: Scenario = {
      name: 'child criminal exploitation', category: 'cce', source: 'social_care', count: 0, role: 'person_at_risk',
      places: { kinds: ['stairwell', 'housing_estate', 'park', 'transport_hub', 'takeaway'], share: 0.75 },
      hours: [[AFTER_SCHOOL, 4], [range(19, 24), 4], [ALL_HOURS, 1]],
      ages: [], male: 0.85,
    };
    const cseScenario: Scenario = {
      ...cceScenario, name: 'child sexual exploitation', category: 'cse',
      places: { kinds: ['park', 'takeaway', 'hotel', 'transport_hub', 'shop'], share: 0.75 },
    };
    for (const person of cce) episodes(person, cceScenario, 5);
    for (const person of cse) episodes(person, cseScenario, 4);

    // Missing children: counted as children (people) and as episodes; some go missing often.
    const missingScenario: Scenario = {
      name: 'missing episodes', category: 'missing_episode', source: 'police', count: 0, role: 'person_at_risk',
      places: { kinds: ['transport_hub', 'park', 'takeaway'], share: 0.4 },
      hours: [[range(18, 24), 5], [range(0, 3), 3], [ALL_HOURS, 1]],
      ages: [], male: 0.55,
    };
    const missingChildren = [
      ...cce.slice(0, count(30)), ...cse.slice(bothCount, bothCount + count(20)),
      ...Array.from({ length: count(70) }, () => child(0.55)),
    ];
    for (const person of missingChildren) episodes(person, missingScenario, 7);
    this.addPeoplePatterns(cce.slice(bothCount), cse.slice(bothCount), scale);
  }
}

/** The whole demo dataset for a seed. Same seed and options, same data, in the same order. */
export function generateDemo(seed: number, options: DemoOptions = {}): DemoDataset {
  const scale = options.scale ?? 1;
  const random = new Random(seed);
  const locations = makeLocations(random);
  const factory = new IncidentFactory(random, locations);
  for (const scenario of scenarios(scale)) {
    const pool: Person[] = [];
    for (let i = 0; i < scenario.count; i++) factory.add(scenario, pool);
  }
  factory.addExploitedChildren(scale);
  return { seed, localities: LOCALITIES, locations, incidents: factory.incidents };
}

export const DEFAULT_DEMO_SEED = 20201;
