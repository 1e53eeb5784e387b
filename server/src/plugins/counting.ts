// Which engine counts (counting/counter.ts): the column copy when it holds the data
// version a question is kept under (plugins/column-copy.ts), else PostgreSQL. The one
// place the two meet; questions ask `app.counting.at(version)` and never either engine.
import fp from 'fastify-plugin';
import { firstAnswering, type IncidentCounter, type PartialCounter } from '../counting/counter.js';
import { postgresCounter } from '../counting/postgres.js';
import type { ColumnCopy } from '../counting/duckdb/copy.js';

declare module 'fastify' {
  interface FastifyInstance {
    counting: Counting;
  }
}

export interface Counting {
  /** The counter for a question kept under `dataVersion`. */
  at(dataVersion: number): IncidentCounter;
  /** PostgreSQL alone (what the column copy's answers are tested against). */
  readonly postgres: IncidentCounter;
}

export default fp(
  async (app) => {
    const postgres = postgresCounter(app.db);
    app.decorate('counting', {
      postgres,
      at(dataVersion: number) {
        if (app.columns.dataVersion !== dataVersion) return postgres;
        const answer = <T>(ask: (copy: ColumnCopy) => Promise<T | null>) => app.columns.answer(dataVersion, ask);
        const copy: PartialCounter = {
          hexagonCounts: (filters) => answer((c) => c.hexagonCounts(filters)),
          hourWeekdayProfile: (filters, near) => answer((c) => c.hourWeekdayProfile(filters, near)),
          notJudged: (filters) => answer((c) => c.notJudged(filters)),
          placeCounts: (filters, previous, radius) => answer((c) => c.placeCounts(filters, previous, radius)),
          areaCounts: (question) => answer((c) => c.areaCounts(question)),
          binned: (size, filters, boundaries) => answer((c) => c.binned(size, filters, boundaries)),
          snappedPoints: (filters) => answer((c) => c.snappedPoints(filters)),
          incidentTotals: () => answer((c) => c.incidentTotals()),
          peopleFlow: (question) => answer((c) => c.peopleFlow(question)),
          incidentPoints: (filters, limit) => answer((c) => c.incidentPoints(filters, limit)),
          peopleRepeats: (filters) => answer((c) => c.peopleRepeats(filters)),
          peopleSources: (filters) => answer((c) => c.peopleSources(filters)),
        };
        return firstAnswering(copy, postgres);
      },
    });
  },
  { name: 'counting', dependencies: ['database', 'column-copy'] },
);
