// Visit times for a patrol plan, following the hot-spot dosage evidence (Koper 1995;
// the "Koper curve"): visits of 10-15 minutes, unpredictable, each place revisited at
// least every two hours, 2-5 places a shift. Pure and seeded: the same seed gives the
// same plan, a new plan gets a new seed and so a new order.
//
// Shape: one round visits every place once, in an order drawn per plan; rounds repeat
// every P minutes (drawn up to 110, so a place's visits start at most P < 120 minutes
// apart). Each place has its own visit length (10-15 min) and the walk between places
// its own allowance (0-10 min), fixed for the plan, so a place's visits are exactly P
// apart. The first round starts at a drawn offset within the first half hour; rounds
// continue while visits fit before the shift ends. Instants are UTC milliseconds, so a
// shift across a clock change (23 or 25 hours in the day) is measured in real minutes.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export const VISIT_MINUTES = { min: 10, max: 15 } as const;
export const MAX_REVISIT_MINUTES = 120;
export const PLACES = { min: 2, max: 5 } as const;
const MINUTE = 60_000;
const LONGEST_ROUND = 110;

export interface Visit {
  /** Index into the places given. */
  place: number;
  start: number;
  end: number;
}

export interface Schedule {
  /** Place indexes in the order each round visits them. */
  order: number[];
  /** Minutes between the starts of a place's successive visits. */
  roundMinutes: number;
  visitMinutes: number[];
  visits: Visit[];
  totalVisitMinutes: number;
}

export class ScheduleError extends Error {}

/**
 * Schedules `places` places (2-5) over [shiftStart, shiftEnd). Fewer places are
 * scheduled if one round of them cannot fit in the shift; the caller reports it.
 */
export function schedulePatrol(places: number, shiftStart: number, shiftEnd: number, seed: number): Schedule {
  if (!Number.isInteger(places) || places < 1 || places > PLACES.max) throw new ScheduleError(`between 1 and ${PLACES.max} places`);
  const shiftMinutes = Math.floor((shiftEnd - shiftStart) / MINUTE);
  const generator = xoroshiro128plus(seed);
  const draw = (min: number, max: number) => uniformInt(generator, min, max);

  // Fisher-Yates on the place indexes.
  const order = Array.from({ length: places }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = draw(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  // Visits of 10-15 minutes, shorter in a short shift so that one round fits.
  const longest = Math.min(VISIT_MINUTES.max, Math.floor(shiftMinutes / places));
  if (longest < VISIT_MINUTES.min) throw new ScheduleError('the shift is too short for one round of visits');
  const visitMinutes = order.map(() => draw(VISIT_MINUTES.min, longest));
  const visitsTotal = visitMinutes.reduce((a, b) => a + b, 0);
  // A round: every place once, with walks of 0-10 minutes between, repeated every
  // roundMinutes (60-110, never shorter than the visits themselves).
  const roundMinutes = draw(Math.max(60, visitsTotal), LONGEST_ROUND);
  const walkMax = Math.min(10, Math.floor((Math.min(roundMinutes, shiftMinutes) - visitsTotal) / Math.max(1, places - 1)));
  const walks = order.slice(1).map(() => draw(0, walkMax));
  const roundSpan = visitsTotal + walks.reduce((a, b) => a + b, 0);
  // Start within the first half hour, early enough that the round's last place is first
  // visited within two hours of the shift's start.
  const offset = draw(0, Math.max(0, Math.min(30, shiftMinutes - roundSpan, MAX_REVISIT_MINUTES - roundSpan)));

  const visits: Visit[] = [];
  for (let roundStart = offset; ; roundStart += roundMinutes) {
    let at = roundStart;
    let placed = 0;
    for (const [position, place] of order.entries()) {
      if (position > 0) at += walks[position - 1]!;
      const length = visitMinutes[position]!;
      if (at + length > shiftMinutes) break;
      visits.push({ place, start: shiftStart + at * MINUTE, end: shiftStart + (at + length) * MINUTE });
      at += length;
      placed += 1;
    }
    if (placed < order.length) break;
  }
  const lengthOf = new Map(order.map((place, position) => [place, visitMinutes[position]!]));
  return {
    order,
    roundMinutes,
    visitMinutes: Array.from({ length: places }, (_, place) => lengthOf.get(place)!),
    visits,
    totalVisitMinutes: visits.reduce((sum, visit) => sum + (visit.end - visit.start) / MINUTE, 0),
  };
}
