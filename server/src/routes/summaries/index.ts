import { AreaSummary, AreaSummaryQuery, type Filters } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { askAreaSummary, askNotJudged } from '../../questions.js';
import { perturbRecord } from '../../disclosure/protect.js';
import { checkPanelFilters, panelSummary } from '../../disclosure/panel.js';
import { exactSummary } from '../../summaries/assemble.js';
import { summaryCsv } from '../../summaries/csv.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';

const summaries: FastifyPluginAsyncTypebox = async (app) => {
  /** The summary as the requester may see it: panel members (and analysts' preview) under disclosure control. */
  async function summaryFor(request: FastifyRequest<{ Querystring: AreaSummaryQuery }>): Promise<{ summary: AreaSummary; filters: Filters }> {
    const { query } = request;
    const filters = filtersOrThrow(pickFilterQuery(query));
    const panelView = request.viewer?.user.role === 'panel' || query.preview === 'panel';
    if (panelView) checkPanelFilters(filters);
    const [exact, sources, notJudged] = await Promise.all([
      askAreaSummary(app, query.level, filters, query.compare),
      app.metadata.sources(),
      askNotJudged(app, filters),
    ]);
    request.auditRows = exact.rows.length;
    const summary = panelView ? await panelSummary(app, exact, query.level, filters) : exactSummary(exact, query.level);
    // What the filters could not judge, over the district: perturbed by its cell key for the panel.
    const unjudged = panelView ? perturbRecord(notJudged.counts, notJudged.keys) : notJudged.counts;
    return { summary: { ...summary, sources, notJudged: unjudged }, filters };
  }

  app.get('/api/areas/summary', {
    config: { access: ['analyst', 'police', 'panel'], audit: true },
    schema: {
      summary: 'Per-area summary for the filters: episodes and people by category, gender and ethnicity, rates, change, trend. Panel members get disclosure control',
      tags: ['data'],
      querystring: AreaSummaryQuery,
      response: { 200: AreaSummary },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'private, no-cache');
    return (await summaryFor(request)).summary;
  });

  app.get('/api/areas/summary.csv', {
    config: { access: ['analyst', 'police', 'panel'], audit: true },
    schema: {
      summary: 'The area summary as CSV, with a header block (period, geography, measure, suppression rule, data sources); hidden counts are "c"',
      tags: ['data'],
      querystring: AreaSummaryQuery,
      produces: ['text/csv'],
    },
  }, async (request, reply) => {
    const { summary, filters } = await summaryFor(request);
    const user = request.viewer!.user;
    const csv = summaryCsv(summary, { filters, generatedAt: new Date(), generatedBy: `${user.displayName} (${user.role})` });
    const name = `lantern-${summary.level}-summary${summary.period ? `-${summary.period.from}-to-${summary.period.to}` : ''}.csv`;
    return reply.type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(csv);
  });
};
export default summaries;
