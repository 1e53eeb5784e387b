import {
  CATEGORIES, FLOW_NOTE, PEER_GROUP_DEFAULTS, PEER_GROUP_LIMIT, PEER_GROUP_NOTE, PEER_GROUP_SIZE_BANDS, PeerGroups, PeerGroupSizes, PeerGroupSizesQuery,
  PeerGroupsQuery, PeopleFlow, PeopleFlowQuery, PeopleRepeats, PeopleRepeatsQuery, PeopleSources, PeopleSourcesQuery, ROLES_IN_INCIDENT,
  type PeerGroup, type PeopleFlowPeriod,
} from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkPanelFilters } from '../../disclosure/panel.js';
import { perturb } from '../../disclosure/protect.js';
import { HttpError } from '../../errors.js';
import { askPeerGroups, askPeopleFlow, askPeopleRepeats, askPeopleSources, type PeerGroupSearch } from '../../questions.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';

const isoDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** A search's groups as the API gives them: what they are, never who. */
function describedGroups(search: PeerGroupSearch): PeerGroup[] {
  return search.answer.groups.map((group, index) => ({
    id: index + 1, size: group.size, episodes: group.episodes, linkedPairs: group.linkedPairs,
    roles: Object.fromEntries(ROLES_IN_INCIDENT.map((role, k) => [role, group.roles[k]!]).filter(([, n]) => n)),
    categories: CATEGORIES.map((category, k) => ({ category, episodes: group.categories[k]! })).filter((row) => row.episodes > 0)
      .sort((a, b) => b.episodes - a.episodes),
    places: group.places.flatMap(([id, episodes]) => {
      const place = search.places.get(id);
      return place ? [{ id, ...place, episodes }] : [];
    }),
    hours: group.hours, from: isoDay(group.firstDay), to: isoDay(group.lastDay),
  }));
}

/** The band of PEER_GROUP_SIZE_BANDS a group's size falls in. */
const sizeBand = (size: number) => (size <= 2 ? '2' : size <= 4 ? '3-4' : size <= 9 ? '5-9' : '10+');

const people: FastifyPluginAsyncTypebox = async (app) => {
  /** The search for the request's filters; a panel member's filters are checked first. */
  const searchGroups = async (request: { query: PeerGroupsQuery }, asker: Parameters<typeof askPeerGroups>[3], panel = false) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    if (panel) checkPanelFilters(filters);
    const { withinHours = PEER_GROUP_DEFAULTS.withinHours, together = PEER_GROUP_DEFAULTS.together, minSize = PEER_GROUP_DEFAULTS.minSize } = request.query;
    const search = await askPeerGroups(app, filters, { withinHours, together, minSize }, asker);
    if ('tooMany' in search) {
      throw new HttpError(400, `categories: ${search.tooMany.toLocaleString('en-GB')} incidents name a person; the peer-group search takes at most ${PEER_GROUP_LIMIT.toLocaleString('en-GB')} (narrow the dates or categories)`, 'categories');
    }
    return { search, options: { withinHours, together, minSize } };
  };

  app.get('/api/people/groups', {
    config: { access: ['analyst'], audit: true },
    schema: {
      summary: 'Peer groups: people linked when incidents name them together (the same incident, or the same place within hours), with their size, roles, categories, places and hours; never who',
      tags: ['data'],
      querystring: PeerGroupsQuery,
      response: { 200: PeerGroups },
    },
  }, async (request) => {
    const { search, options } = await searchGroups(request, request);
    const groups = describedGroups(search);
    request.auditRows = groups.reduce((sum, group) => sum + group.size, 0);
    return {
      parameters: { ...options, incidents: search.incidents, people: search.answer.people, unknownTime: search.unknownTime },
      totalGroups: search.answer.sizes.length, groups, note: PEER_GROUP_NOTE,
    };
  });

  app.get('/api/people/group-sizes', {
    config: { access: ['analyst', 'panel'], audit: true },
    schema: {
      summary: 'How many peer groups there are by size (2, 3-4, 5-9, 10+); perturbed for panel members',
      tags: ['data'],
      querystring: PeerGroupSizesQuery,
      response: { 200: PeerGroupSizes },
    },
  }, async (request) => {
    const panel = request.viewer!.user.role === 'panel';
    const { search } = await searchGroups(request, request, panel);
    const sizes = PEER_GROUP_SIZE_BANDS.map((band) => {
      const members = search.answer.sizes.filter((group) => sizeBand(group.size) === band);
      // A band's cell key: the sum of its groups' keys (each the sum of its members').
      const key = members.reduce((sum, group) => sum + group.key, 0) % 256;
      return { size: band, groups: panel ? perturb(members.length, key) : members.length };
    });
    request.auditRows = sizes.reduce((sum, band) => sum + band.groups, 0);
    return { sizes, disclosureControl: panel, note: PEER_GROUP_NOTE };
  });

  app.get('/api/people/flow', {
    config: { access: ['analyst', 'panel'], audit: true },
    schema: {
      summary: 'Same or new people: per period, the distinct people the filtered incidents name, new, returning or continuing',
      tags: ['data'],
      querystring: PeopleFlowQuery,
      response: { 200: PeopleFlow },
    },
  }, async (request) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    const unit = request.query.period ?? 'month';
    const panel = request.viewer!.user.role === 'panel';
    if (panel) checkPanelFilters(filters);
    const { periods, rows } = await askPeopleFlow(app, filters, unit);
    const byStart = new Map(rows.map((row) => [row.period, row]));
    const answered: PeopleFlowPeriod[] = periods.map(({ period, from, to }) => {
      const row = byStart.get(from);
      const counts = row
        ? (panel
          // Each part perturbed by its own cell key; people is the sum of the parts shown.
          ? { new: perturb(row.new, row.new_key), returning: perturb(row.returning, row.returning_key), continuing: perturb(row.continuing, row.continuing_key) }
          : { new: row.new, returning: row.returning, continuing: row.continuing })
        : { new: 0, returning: 0, continuing: 0 };
      return { period, from, to, people: counts.new + counts.returning + counts.continuing, ...counts };
    });
    request.auditRows = answered.reduce((sum, period) => sum + period.people, 0);
    return { period: unit, periods: answered, disclosureControl: panel, note: FLOW_NOTE };
  });

  app.get('/api/people/sources', {
    config: { access: ['analyst', 'panel'], audit: true },
    schema: {
      summary: 'People by the sources that name them (police, hospital, social care...): who is seen by one and not another (the Cardiff Model)',
      tags: ['data'],
      querystring: PeopleSourcesQuery,
      response: { 200: PeopleSources },
    },
  }, async (request) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    const panel = request.viewer!.user.role === 'panel';
    if (panel) checkPanelFilters(filters);
    const rows = await askPeopleSources(app, filters);
    const combinations = rows
      .map((row) => ({ sources: row.sources.split(','), people: panel ? perturb(row.people, row.key) : row.people }))
      .filter((row) => row.people > 0)
      .sort((a, b) => b.people - a.people || a.sources.join().localeCompare(b.sources.join()));
    request.auditRows = combinations.reduce((sum, row) => sum + row.people, 0);
    return { combinations, disclosureControl: panel };
  });

  app.get('/api/people/repeats', {
    config: { access: ['analyst'], audit: true },
    schema: {
      summary: 'Repeat victims and suspects: episodes per person (1, 2, 3-4, 5+) overall and by role, people seen as victim and suspect, and the places people keep appearing at',
      tags: ['data'],
      querystring: PeopleRepeatsQuery,
      response: { 200: PeopleRepeats },
    },
  }, async (request) => {
    const answer = await askPeopleRepeats(app, filtersOrThrow(pickFilterQuery(request.query)));
    request.auditRows = answer.all.people;
    return answer;
  });
};
export default people;
