import { AreaSummary, AreaSummaryQuery, CATEGORIES, type Category, type ProtectedCount } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DISCLOSURE_RULE, protectCount, protectedRate, protectTable } from '../../disclosure/protect.js';
import type { ExactSummary } from '../../repositories/summaries.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';

const EXACT_RULE = 'Exact counts: no suppression (analyst and police view).';

const rate = (count: number, population: number | null) =>
  population ? Math.round((count / population) * 10_000) / 10 : null;

/** The summary exactly as counted. */
function exact(summary: ExactSummary, level: AreaSummary['level']): AreaSummary {
  return {
    level,
    disclosureControl: false,
    rule: EXACT_RULE,
    rows: summary.rows.map((row) => ({ ...row, ratePer1000: rate(row.episodes, row.population) })),
    total: { ...summary.total, ratePer1000: rate(summary.total.episodes, summary.total.population) },
  };
}

/** The summary as a panel member may see it: suppressed, secondarily suppressed, rounded. */
function protectedSummary(summary: ExactSummary, level: AreaSummary['level']): AreaSummary {
  const table = protectTable({
    cells: summary.rows.map((row) => CATEGORIES.map((category) => row.byCategory[category])),
    rowTotals: summary.rows.map((row) => row.episodes),
    columnTotals: CATEGORIES.map((category) => summary.total.byCategory[category]),
    total: summary.total.episodes,
  });
  const byCategory = (values: ProtectedCount[]) =>
    Object.fromEntries(CATEGORIES.map((category, index) => [category, values[index]!])) as Record<Category, ProtectedCount>;
  return {
    level,
    disclosureControl: true,
    rule: DISCLOSURE_RULE,
    rows: summary.rows.map((row, index) => ({
      code: row.code,
      name: row.name,
      population: row.population,
      episodes: table.rowTotals[index]!,
      people: protectCount(row.people),
      ratePer1000: protectedRate(table.rowTotals[index]!, row.population),
      byCategory: byCategory(table.cells[index]!),
    })),
    total: {
      episodes: table.total,
      people: protectCount(summary.total.people),
      ratePer1000: protectedRate(table.total, summary.total.population),
      byCategory: byCategory(table.columnTotals),
    },
  };
}

const summaries: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/areas/summary', {
    config: { access: ['analyst', 'police', 'panel'], audit: true },
    schema: {
      summary: 'Per-area counts for the filters: episodes by category, people, rates. Panel members get disclosure control',
      tags: ['data'],
      querystring: AreaSummaryQuery,
      response: { 200: AreaSummary },
    },
  }, async (request, reply) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    const summary = await app.results.remember(request, () => app.summaries.byArea(request.query.level, filters));
    request.auditRows = summary.rows.length;
    reply.header('cache-control', 'private, no-cache');
    const panelView = request.viewer?.user.role === 'panel' || request.query.preview === 'panel';
    return panelView ? protectedSummary(summary, request.query.level) : exact(summary, request.query.level);
  });
};
export default summaries;
