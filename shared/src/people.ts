// People over time (issue 32): for each period, how many distinct people the filtered
// incidents name, and whether each was new, returning or continuing.
import { Type, type Static } from 'typebox';
import { FilterQueryProperties } from './filters.js';

export const FLOW_PERIODS = ['month', 'quarter', 'year'] as const;
export type FlowPeriod = (typeof FLOW_PERIODS)[number];
const FlowPeriodSchema = Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('year')]);

export const PeopleFlowQuery = Type.Object(
  {
    ...FilterQueryProperties,
    period: Type.Optional(Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('year')], { default: 'month', description: 'the length of each period' })),
  },
  { additionalProperties: false },
);
export type PeopleFlowQuery = Static<typeof PeopleFlowQuery>;

const Count = Type.Integer({ minimum: 0 });

export const PeopleFlowPeriod = Type.Object({
  period: Type.String({ description: 'YYYY-MM (month), YYYY-Qn (quarter) or YYYY (year)' }),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date', description: 'the last day counted (the filter\'s end when it falls inside the period)' }),
  people: Count,
  new: Type.Integer({ minimum: 0, description: 'never named by an incident under the same filters before the period' }),
  returning: Type.Integer({ minimum: 0, description: 'named before, but not in the previous period' }),
  continuing: Type.Integer({ minimum: 0, description: 'named in the previous period too' }),
});
export type PeopleFlowPeriod = Static<typeof PeopleFlowPeriod>;

export const PeopleFlow = Type.Object({
  period: FlowPeriodSchema,
  periods: Type.Array(PeopleFlowPeriod, { description: 'people = new + returning + continuing in every period' }),
  disclosureControl: Type.Boolean({ description: 'true: every count perturbed (cell-key method) and people the sum of the three shown' }),
  note: Type.String(),
});
export type PeopleFlow = Static<typeof PeopleFlow>;

/** What "new", "returning" and "continuing" mean, for pages and exports. */
export const FLOW_NOTE = 'People are distinct pseudonymous persons named by the filtered incidents. New: never named under these filters '
  + 'in the data loaded before the period; returning: named before, but not in the previous period; continuing: named in the previous '
  + 'period too. Incidents before the chosen dates count as history. Incidents naming nobody (police.uk) add no one.';

export const PeopleRepeatsQuery = Type.Object({ ...FilterQueryProperties }, { additionalProperties: false });
export type PeopleRepeatsQuery = Static<typeof PeopleRepeatsQuery>;

const Distribution = Type.Object({
  people: Type.Integer({ minimum: 0 }),
  once: Type.Integer({ minimum: 0, description: 'people named by 1 incident' }),
  twice: Type.Integer({ minimum: 0 }),
  threeToFour: Type.Integer({ minimum: 0 }),
  fivePlus: Type.Integer({ minimum: 0 }),
});

export const PeopleRepeats = Type.Object({
  all: Distribution,
  byRole: Type.Array(Type.Intersect([Type.Object({ role: Type.String() }), Distribution]), { description: 'episodes per person within each role' }),
  victimAndSuspect: Type.Integer({ minimum: 0, description: 'people named as a victim by one incident and as a suspect by another' }),
  places: Type.Array(Type.Object({
    id: Type.Integer(), name: Type.String(), kind: Type.String(),
    repeatPeople: Type.Integer({ description: 'people named by two or more incidents counted at this place' }),
    episodes: Type.Integer({ description: 'incidents of those people at this place' }),
  }), { description: 'the places where the same people keep appearing, most first (at most 10)' }),
});
export type PeopleRepeats = Static<typeof PeopleRepeats>;

export const PeopleSourcesQuery = Type.Object({ ...FilterQueryProperties }, { additionalProperties: false });
export type PeopleSourcesQuery = Static<typeof PeopleSourcesQuery>;

export const PeopleSources = Type.Object({
  combinations: Type.Array(Type.Object({
    sources: Type.Array(Type.String(), { description: 'the sources that name these people, and no other' }),
    people: Type.Integer({ minimum: 0 }),
  }), { description: 'people by the set of sources naming them, most first (the Cardiff Model: hospital attendances with no police record)' }),
  disclosureControl: Type.Boolean(),
});
export type PeopleSources = Static<typeof PeopleSources>;

export const PEER_GROUP_DEFAULTS = { withinHours: 2, together: 2, minSize: 3 } as const;
/** Most incidents the peer-group search takes (narrow the filters beyond). */
export const PEER_GROUP_LIMIT = 100_000;

const PeerGroupOptions = {
  withinHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 72, default: PEER_GROUP_DEFAULTS.withinHours, description: 'incidents at the same place of concern within this many hours link their people (0: only the same incident)' })),
  together: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: PEER_GROUP_DEFAULTS.together, description: 'times two people must be named together to be linked' })),
  minSize: Type.Optional(Type.Integer({ minimum: 2, maximum: 50, default: PEER_GROUP_DEFAULTS.minSize, description: 'smallest group reported' })),
};

export const PeerGroupsQuery = Type.Object({ ...FilterQueryProperties, ...PeerGroupOptions }, { additionalProperties: false });
export type PeerGroupsQuery = Static<typeof PeerGroupsQuery>;

export const PeerGroup = Type.Object({
  id: Type.Integer({ description: '1 for the largest group; a number for this answer only, never a person' }),
  size: Type.Integer({ description: 'people in the group' }),
  episodes: Type.Integer({ description: 'incidents naming a member (under the filters)' }),
  linkedPairs: Type.Integer({ description: 'pairs of members named together at least `together` times' }),
  roles: Type.Record(Type.String(), Type.Integer(), { description: 'members seen in each role (a person in two roles counts in both)' }),
  categories: Type.Array(Type.Object({ category: Type.String(), episodes: Type.Integer() }), { description: 'most first' }),
  places: Type.Array(Type.Object({
    id: Type.Integer(), name: Type.String(), kind: Type.String(), lon: Type.Number(), lat: Type.Number(), episodes: Type.Integer(),
  }), { description: 'the places of concern the group\'s incidents count at, most first (at most 8)' }),
  hours: Type.Array(Type.Integer(), { description: 'the group\'s busiest local hours, most first (at most 3)' }),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
});
export type PeerGroup = Static<typeof PeerGroup>;

export const PeerGroups = Type.Object({
  parameters: Type.Object({
    withinHours: Type.Integer(), together: Type.Integer(), minSize: Type.Integer(),
    incidents: Type.Integer({ description: 'incidents naming a person with a known minute, searched' }),
    people: Type.Integer(),
    unknownTime: Type.Integer({ description: 'incidents naming a person but with no time of day (left out)' }),
  }),
  totalGroups: Type.Integer(),
  groups: Type.Array(PeerGroup, { description: 'the largest groups first (at most 25)' }),
  note: Type.String(),
});
export type PeerGroups = Static<typeof PeerGroups>;

export const PeerGroupSizesQuery = PeerGroupsQuery;
export type PeerGroupSizesQuery = PeerGroupsQuery;
export const PEER_GROUP_SIZE_BANDS = ['2', '3-4', '5-9', '10+'] as const;
export const PeerGroupSizes = Type.Object({
  sizes: Type.Array(Type.Object({ size: Type.String(), groups: Type.Integer({ minimum: 0 }) })),
  disclosureControl: Type.Boolean(),
  note: Type.String(),
});
export type PeerGroupSizes = Static<typeof PeerGroupSizes>;

export const PEER_GROUP_NOTE = 'People are linked when incidents name them together: the same incident (the same minute within 50 m), '
  + 'or the same place of concern within the chosen hours, at least the chosen number of times. A group is everyone reachable through '
  + 'links. Incidents with no time of day are left out. No person is named: a group is its size, roles, categories, places and hours.';
