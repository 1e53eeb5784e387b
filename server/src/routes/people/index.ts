import { FLOW_NOTE, PeopleFlow, PeopleFlowQuery, PeopleRepeats, PeopleRepeatsQuery, PeopleSources, PeopleSourcesQuery, type PeopleFlowPeriod } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkPanelFilters } from '../../disclosure/panel.js';
import { perturb } from '../../disclosure/protect.js';
import { askPeopleFlow, askPeopleRepeats, askPeopleSources } from '../../questions.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';

const people: FastifyPluginAsyncTypebox = async (app) => {
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
