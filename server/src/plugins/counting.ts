// Which engine counts (counting/counter.ts): the column copy when it holds the data
// version a question is kept under (plugins/column-copy.ts), else PostgreSQL. The one
// place the two meet; questions ask `app.counting.at(version)` and never either engine.
import fp from 'fastify-plugin';
import { call, eachMethod, firstAnswering, type IncidentCounter, type PartialCounter } from '../counting/counter.js';
import { postgresCounter } from '../counting/postgres.js';

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
        // Each method asks the copy answering now, which holds the copy open while it counts.
        const copy = eachMethod<PartialCounter>((name) => (...args) => app.columns.answer(dataVersion, (c) => call(c, name, args)));
        return firstAnswering(copy, postgres);
      },
    });
  },
  { name: 'counting', dependencies: ['database', 'column-copy'] },
);
