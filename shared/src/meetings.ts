// Meeting packs for the partnership's two recurring meetings: the Operational
// Exploitation Meeting (OEM, every two months, children under 18) and the Serious
// Violence Operational Group (SVOG, monthly, under 25s). The server builds each section
// as a table (also its CSV) and what its map needs.
import { Type, type Static } from 'typebox';
import { NarrowingProperties } from './filters.js';
import { NotJudged } from './summary.js';
import type { AgeBand, Category } from './vocabulary.js';

/** The people table's age focus: the meeting's own by default, or another the user picks. */
export const AGE_FOCUSES = {
  under18: { label: 'under 18', ages: ['0-9', '10-14', '15-17'] as AgeBand[] },
  under25: { label: 'under 25', ages: ['0-9', '10-14', '15-17', '18-24'] as AgeBand[] },
  all: { label: 'all ages', ages: null },
} as const;
export type AgeFocusId = keyof typeof AGE_FOCUSES;
export const AGE_FOCUS_IDS = Object.keys(AGE_FOCUSES) as AgeFocusId[];
export const MEETINGS = {
  oem: {
    label: 'Operational Exploitation Meeting',
    everyMonths: 2,
    /** The people table's ages unless the user picks others. */
    ageFocus: 'under18' as AgeFocusId,
    categories: ['cse', 'cce', 'county_lines', 'cuckooing', 'missing_episode'] as Category[],
  },
  svog: {
    label: 'Serious Violence Operational Group',
    everyMonths: 1,
    ageFocus: 'under25' as AgeFocusId,
    categories: ['serious_violence', 'knife_crime', 'robbery', 'domestic_abuse'] as Category[],
  },
} as const;
export type MeetingId = keyof typeof MEETINGS;

export const MEETING_IDS = Object.keys(MEETINGS) as MeetingId[];
export const MEETING_SECTIONS = ['emerging', 'locations', 'people', 'exploitation-areas'] as const;
export type MeetingSectionId = (typeof MEETING_SECTIONS)[number];

const MeetingPackProperties = {
  meeting: Type.Enum(MEETING_IDS, { description: 'oem (every two months, under 18s) or svog (monthly, under 25s)' }),
  date: Type.String({ format: 'date', description: 'the meeting\'s date; the pack covers up to the day before' }),
  previous: Type.Optional(Type.String({ format: 'date', description: 'the previous meeting\'s date; default two months (OEM) or one month (SVOG) before' })),
  ageFocus: Type.Optional(Type.Enum(AGE_FOCUS_IDS, { description: 'the people table\'s ages: under18, under25 or all; default the meeting\'s own (OEM under 18, SVOG under 25)' })),
  ...NarrowingProperties,
};
export const MeetingPackQuery = Type.Object(MeetingPackProperties, { additionalProperties: false });
export type MeetingPackQuery = Static<typeof MeetingPackQuery>;
export const MeetingPackCsvQuery = Type.Object({
  ...MeetingPackProperties,
  section: Type.Enum(MEETING_SECTIONS, { description: 'which section\'s table' }),
}, { additionalProperties: false });

const Cell = Type.Union([Type.String(), Type.Number(), Type.Null()]);

export const MeetingSection = Type.Object({
  id: Type.Enum(MEETING_SECTIONS),
  title: Type.String(),
  description: Type.String(),
  columns: Type.Array(Type.String()),
  rows: Type.Array(Type.Array(Cell)),
  /** emerging: hot spot cells to draw (GeoJSON polygons, WGS84) with their pattern. */
  cells: Type.Optional(Type.Array(Type.Object({ pattern: Type.String(), geometry: Type.Unknown() }))),
  /** locations: numbered points. */
  points: Type.Optional(Type.Array(Type.Object({ number: Type.Integer(), lon: Type.Number(), lat: Type.Number() }))),
  /** exploitation-areas: a value per area code at this level. */
  areaLevel: Type.Optional(Type.String()),
  areaValues: Type.Optional(Type.Array(Type.Object({ code: Type.String(), value: Type.Number() }))),
  /** Incidents of the section's period the section's filters could not judge (no age, no role...), by field. */
  notJudged: Type.Optional(NotJudged),
});
export type MeetingSection = Static<typeof MeetingSection>;

export const MeetingPack = Type.Object({
  meeting: Type.Enum(MEETING_IDS),
  title: Type.String(),
  date: Type.String({ format: 'date' }),
  previous: Type.String({ format: 'date' }),
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  comparison: Type.Object({ from: Type.String(), to: Type.String() }),
  ageFocus: Type.String(),
  categories: Type.Array(Type.String()),
  sources: Type.Array(Type.String()),
  sections: Type.Array(MeetingSection),
});
export type MeetingPack = Static<typeof MeetingPack>;
