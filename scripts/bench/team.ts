// The bench's "team" case (issue 30): a team of analysts at once, each asking filters
// nobody asked before (random dates, categories, ages, hours, weekdays), in the mix a
// map page makes: 60% incident tiles at z12-15 over Bath, 30% the hour x weekday
// profile, 10% Gi* at the map's cell size. No answer can come from the results cache (every filter is new), so
// this measures the engine under a team, not the cache. Reports per route, and the
// server's event-loop delay over the run's last whole window (/api/health).
import { AGE_BAND_IDS, CATEGORIES, MAP_GISTAR_CELL_SIZE, WEEKDAYS, addDays, type FilterQuery, type Health } from '@lantern/shared';
import { percentile, Random, tileAt } from './measure.js';

export const TEAM_ROUTES = ['tiles z12-15', 'profile', 'Gi* (the map\'s cells)'] as const;
export type TeamRoute = (typeof TEAM_ROUTES)[number];

const BATH = { west: -2.40, south: 51.365, east: -2.32, north: 51.40 };

const subset = <T>(random: Random, values: readonly T[], most: number): T[] => {
  const chosen = new Set<T>();
  const n = 1 + random.int(most);
  while (chosen.size < n) chosen.add(values[random.int(values.length)]!);
  return [...chosen];
};

/** A filter nobody has asked: dates always (a random stretch of 1-15 months), the rest sometimes. */
export function neverAskedFilter(random: Random, range: { from: string; to: string }): FilterQuery {
  const days = Math.round((Date.parse(range.to) - Date.parse(range.from)) / 86_400_000);
  const length = 30 + random.int(420);
  const start = random.int(Math.max(1, days - length));
  const from = addDays(range.from, start);
  const to = addDays(from, Math.min(length, days - start));
  const query: FilterQuery = { from, to };
  if (random.next() < 0.5) query.categories = subset(random, CATEGORIES, 4).join(',');
  if (random.next() < 0.4) query.ages = subset(random, AGE_BAND_IDS, 3).join(',');
  if (random.next() < 0.4) {
    const start = random.int(24);
    query.hours = `${start}-${(start + 2 + random.int(8)) % 24}`;
  }
  if (random.next() < 0.3) query.weekdays = subset(random, WEEKDAYS, 5).join(',');
  return query;
}

export function teamRequest(random: Random, range: { from: string; to: string }): { route: TeamRoute; path: string } {
  const search = new URLSearchParams(neverAskedFilter(random, range) as Record<string, string>).toString();
  const draw = random.next();
  if (draw < 0.6) {
    const z = 12 + random.int(4);
    const t = tileAt(BATH.west + random.next() * (BATH.east - BATH.west), BATH.south + random.next() * (BATH.north - BATH.south), z);
    return { route: 'tiles z12-15', path: `/api/tiles/incidents/${t.z}/${t.x}/${t.y}.mvt?${search}` };
  }
  if (draw < 0.9) return { route: 'profile', path: `/api/profile/hour-weekday?${search}` };
  return { route: 'Gi* (the map\'s cells)', path: `/api/hotspots/gistar?${search}&cellSize=${MAP_GISTAR_CELL_SIZE}` };
}

export interface TeamFigures {
  seconds: number;
  perSecond: number;
  routes: Record<TeamRoute, { requests: number; errors: number; p50: number; p95: number; p99: number }>;
  eventLoopDelay: Health['eventLoopDelay'] | null;
}

/** `clients` loops, each asking one request after another for `seconds`. */
export async function runTeam(origin: string, cookie: string, clients: number, seconds: number, seed: number): Promise<TeamFigures> {
  const meta = await (await fetch(`${origin}/api/meta`, { headers: { cookie } })).json() as { dateRange: { from: string; to: string } };
  const times = Object.fromEntries(TEAM_ROUTES.map((route) => [route, [] as number[]])) as Record<TeamRoute, number[]>;
  const errors = Object.fromEntries(TEAM_ROUTES.map((route) => [route, 0])) as Record<TeamRoute, number>;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    const random = new Random(seed * 1000 + client);
    while (performance.now() < until) {
      const { route, path } = teamRequest(random, meta.dateRange);
      const begun = performance.now();
      try {
        const response = await fetch(`${origin}${path}`, { headers: { cookie } });
        await response.arrayBuffer();
        if (response.ok) times[route].push(performance.now() - begun);
        else errors[route] += 1;
      } catch {
        errors[route] += 1;
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const health = await (await fetch(`${origin}/api/health`)).json() as Health;
  const routes = Object.fromEntries(TEAM_ROUTES.map((route) => {
    const sorted = [...times[route]].sort((a, b) => a - b);
    return [route, { requests: sorted.length, errors: errors[route], p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) }];
  })) as TeamFigures['routes'];
  const total = TEAM_ROUTES.reduce((sum, route) => sum + times[route].length, 0);
  return { seconds: elapsed, perSecond: total / elapsed, routes, eventLoopDelay: health.eventLoopDelay ?? null };
}
