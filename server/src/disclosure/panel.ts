// What a panel member may ask and how their area summary is made (docs/disclosure.md):
// periods are whole months, and with a locationKinds filter no area's counts may come
// from fewer than FEWEST_PLACES places.
import { lastDayOfMonth, type AreaLevel, type Filters } from '@lantern/shared';
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../errors.js';
import type { ExactSummary } from '../repositories/summaries.js';
import { protectedSummary, type SummaryWithoutSources } from '../summaries/assemble.js';

export const PANEL_MONTHS_ONLY = 'panel members choose whole months (from the 1st to the last day of a month)';

/** Restricts the panel's flexible dimensions: dates are whole months, so no answer is about a day. */
export function checkPanelFilters(filters: Filters): void {
  if (filters.from && !filters.from.endsWith('-01')) throw badRequest('from', PANEL_MONTHS_ONLY);
  if (filters.to && filters.to !== lastDayOfMonth(filters.to)) throw badRequest('to', PANEL_MONTHS_ONLY);
}

/** Every day the summary counts: the period, the comparison and the monthly trend. */
function daysCounted(summary: ExactSummary): { from: string; to: string } | null {
  const ranges: { from: string; to: string }[] = [];
  if (summary.period) ranges.push(summary.period);
  if (summary.comparison) ranges.push(summary.comparison);
  if (summary.period && summary.trendMonths.length) ranges.push({ from: `${summary.trendMonths[0]}-01`, to: summary.period.to });
  if (ranges.length === 0) return null;
  return { from: ranges.map((range) => range.from).sort()[0]!, to: ranges.map((range) => range.to).sort().at(-1)! };
}

/** The summary under disclosure control, with the places behind each area's counts when a locationKinds filter narrows them. */
export async function panelSummary(app: FastifyInstance, exact: ExactSummary, level: AreaLevel, filters: Filters): Promise<SummaryWithoutSources> {
  const days = daysCounted(exact);
  const places = filters.locationKinds && days
    ? await app.summaries.placesByArea(level, { ...filters, ...days })
    : null;
  return protectedSummary(exact, level, places);
}
