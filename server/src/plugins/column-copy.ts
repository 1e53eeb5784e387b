// Keeps the column copy (server/src/counting/duckdb/copy.ts) of the data as it stands: loaded
// by refresh(), which the warm-up (plugins/warm-up.ts) calls after start and whenever
// data_version moves, before it answers the opening questions (which the copy then
// makes fast). A question is answered from the copy only when the copy holds exactly
// the data_version the question is asked at (the version the results cache keys it
// by); otherwise, while a new copy loads, or for a filter the copy cannot answer (areas),
// PostgreSQL answers as before. A failure of the copy is logged and PostgreSQL answers.
import fp from 'fastify-plugin';
import { loadColumnCopy, type ColumnCopy } from '../counting/duckdb/copy.js';

declare module 'fastify' {
  interface FastifyInstance {
    columns: Columns;
  }
}

export type ColumnCopyStatus = 'off' | 'loading' | 'ready' | 'failed';

export interface Columns {
  readonly status: ColumnCopyStatus;
  /** Questions the copy has answered since start (the rest went to PostgreSQL). */
  readonly answered: number;
  /** The data_version of the copy answering now (null: none). */
  readonly dataVersion: number | null;
  /** Loads a copy if the data changed since the last one (at once when off); resolves when done. */
  refresh(): Promise<void>;
  /** `ask`'s answer from the copy if it holds `dataVersion`, else null (PostgreSQL answers). */
  answer<T>(dataVersion: number, ask: (copy: ColumnCopy) => Promise<T | null>): Promise<T | null>;
}

interface Held {
  copy: ColumnCopy;
  /** Questions in flight: an old copy is closed when the last one ends. */
  reading: number;
  retired: boolean;
}

export default fp<{ enabled: boolean }>(
  async (app, { enabled }) => {
    let status: ColumnCopyStatus = enabled ? 'loading' : 'off';
    let held: Held | null = null;
    let loading: Promise<void> | null = null;
    let failedVersion: number | null = null;
    let closing = false;
    let answered = 0;

    const release = (entry: Held) => {
      if (entry.retired && entry.reading === 0) entry.copy.close();
    };

    const load = async () => {
      const version = await app.results.dataVersion();
      if (version === held?.copy.dataVersion || version === failedVersion) return;
      status = 'loading';
      const started = performance.now();
      try {
        const copy = await loadColumnCopy(app.db);
        if (closing) {
          copy.close();
          return;
        }
        const previous = held;
        held = { copy, reading: 0, retired: false };
        if (previous) {
          previous.retired = true;
          release(previous);
        }
        failedVersion = null;
        status = 'ready';
        app.log.info({ dataVersion: copy.dataVersion, incidents: copy.incidents, ms: Math.round(performance.now() - started) },
          'column copy loaded');
      } catch (error) {
        // Tried once per data version; PostgreSQL answers meanwhile.
        failedVersion = version;
        status = 'failed';
        app.log.error({ err: error }, 'column copy: loading failed; PostgreSQL answers every question');
      }
    };

    app.decorate('columns', {
      get status() {
        return status;
      },
      get answered() {
        return answered;
      },
      get dataVersion() {
        return held?.copy.dataVersion ?? null;
      },
      async refresh() {
        if (!enabled || closing) return;
        if (!loading) loading = load().finally(() => { loading = null; });
        await loading;
      },
      async answer<T>(dataVersion: number, ask: (copy: ColumnCopy) => Promise<T | null>): Promise<T | null> {
        const entry = held;
        if (!entry || entry.retired || entry.copy.dataVersion !== dataVersion) return null;
        entry.reading += 1;
        try {
          const answer = await ask(entry.copy);
          if (answer !== null) answered += 1;
          return answer;
        } catch (error) {
          app.log.error({ err: error }, 'column copy: a question failed; PostgreSQL answers it');
          return null;
        } finally {
          entry.reading -= 1;
          release(entry);
        }
      },
    });

    app.addHook('preClose', async () => {
      closing = true;
      await loading;
      if (held) {
        held.retired = true;
        release(held);
      }
    });
  },
  { name: 'column-copy', dependencies: ['database', 'results-cache'] },
);
