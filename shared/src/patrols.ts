// Patrol plans: a neighbourhood sergeant's shift turned into 2-5 places with visit
// windows, following the hot-spot dosage evidence (10-15 minute visits at least every
// two hours, at random). The server ranks places and schedules the visits.
import { Type, type Static } from 'typebox';
import { NarrowingProperties } from './filters.js';

const TIME = '^([01]\\d|2[0-3]):[0-5]\\d$';

export const PATROL_DEFAULTS = { lookbackWeeks: 12, places: 3, radius: 100 } as const;

export const PatrolPlanRequest = Type.Object(
  {
    area: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,24}$', description: 'code of a loaded area (neighbourhood, ward...); omitted = the whole district' })),
    date: Type.String({ format: 'date', description: 'the day the shift starts, YYYY-MM-DD' }),
    start: Type.String({ pattern: TIME, description: 'shift start, local time HH:MM (Europe/London)' }),
    end: Type.String({ pattern: TIME, description: 'shift end, local time HH:MM; at or before the start = the next day' }),
    lookbackWeeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 52, default: PATROL_DEFAULTS.lookbackWeeks, description: 'weeks of incidents before the date to learn from' })),
    places: Type.Optional(Type.Integer({ minimum: 2, maximum: 5, default: PATROL_DEFAULTS.places, description: 'how many places to patrol (2-5)' })),
    radius: Type.Optional(Type.Integer({ minimum: 25, maximum: 500, default: PATROL_DEFAULTS.radius, description: 'metres around a location of concern within which incidents count' })),
    ...NarrowingProperties,
  },
  { additionalProperties: false },
);
export type PatrolPlanRequest = Static<typeof PatrolPlanRequest>;

export const PatrolVisit = Type.Object({
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  /** Local clock times for the briefing, "HH:MM". */
  startLocal: Type.String(),
  endLocal: Type.String(),
});
export type PatrolVisit = Static<typeof PatrolVisit>;

export const PatrolPlace = Type.Object({
  number: Type.Integer({ description: 'the place\'s number on the map and the briefing' }),
  kind: Type.Enum(['location', 'hotspot'], { description: 'a location of concern, or a Gi* hot spot cell' }),
  name: Type.String(),
  locationId: Type.Union([Type.Integer(), Type.Null()]),
  locationKind: Type.Union([Type.String(), Type.Null()]),
  lon: Type.Number(),
  lat: Type.Number(),
  episodes: Type.Integer(),
  harm: Type.Number(),
  reason: Type.String({ description: 'why this place, in words' }),
  visitMinutes: Type.Integer(),
  visits: Type.Array(PatrolVisit),
});
export type PatrolPlace = Static<typeof PatrolPlace>;

export const PatrolPlan = Type.Object({
  id: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  area: Type.Union([Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }), Type.Null()]),
  date: Type.String({ format: 'date' }),
  start: Type.String(),
  end: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  shiftMinutes: Type.Integer({ description: 'real minutes, so 60 fewer or more on a clock-change night' }),
  shiftText: Type.String({ description: 'the hours and days learnt from, in words' }),
  lookbackWeeks: Type.Integer(),
  lookback: Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) }),
  radius: Type.Integer(),
  seed: Type.Integer(),
  roundMinutes: Type.Integer({ description: 'minutes between the starts of a place\'s visits' }),
  totalVisitMinutes: Type.Integer(),
  places: Type.Array(PatrolPlace),
  notes: Type.Array(Type.String()),
});
export type PatrolPlan = Static<typeof PatrolPlan>;

export const PatrolPlanSummary = Type.Object({
  id: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  areaName: Type.Union([Type.String(), Type.Null()]),
  date: Type.String({ format: 'date' }),
  start: Type.String(),
  end: Type.String(),
  places: Type.Integer(),
});
export const PatrolPlanList = Type.Object({ plans: Type.Array(PatrolPlanSummary) });
export type PatrolPlanList = Static<typeof PatrolPlanList>;

export const PatrolPlanParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'plan id' }) });
export const PatrolDownloadParams = Type.Object({
  id: Type.Integer({ minimum: 1, description: 'plan id' }),
  format: Type.Enum(['gpx', 'geojson'], { description: 'GPX 1.1 for devices, or GeoJSON' }),
});
