// The PostgreSQL pool: one per app, every statement bounded by statement_timeout.
// Repositories use it; route handlers never do.
import fp from 'fastify-plugin';
import pg from 'pg';

declare module 'fastify' {
  interface FastifyInstance {
    db: pg.Pool;
  }
}

export interface DatabaseOptions {
  connectionString: string;
  statementTimeoutMs: number;
  poolSize: number;
}

// bigint (count(*)) arrives as a string by default; our counts fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export default fp<DatabaseOptions>(
  async (app, options) => {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize,
      statement_timeout: options.statementTimeoutMs,
      connectionTimeoutMillis: 5000,
      // Connections stay open while idle (node-postgres closes them after 10 s by
      // default): a new one pays its opening and loading PostGIS, and a click's parallel
      // requests would each open one. A connection the database drops is removed by the
      // error handler below.
      idleTimeoutMillis: 0,
      application_name: 'lantern',
      // JIT compilation costs more than it saves on the one-pass aggregates; hash
      // aggregates over the whole table need more than the default 4 MB in memory.
      options: '-c jit=off -c work_mem=32MB',
    });
    // An idle client losing its connection (database restart) must not crash the server.
    pool.on('error', (error) => app.log.warn({ err: error }, 'idle database client error'));
    app.decorate('db', pool);
    app.addHook('onClose', async () => pool.end());
  },
  { name: 'database' },
);

/** Client or pool: repository methods take either, so callers can share a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/**
 * The data version: raised by every statement that changes incidents, areas, places or
 * harm weights (migration 0004). Kept results are keyed by it. Asked on every request
 * that may answer from a cache, so it is a named statement (parsed and planned once per
 * connection), as are the session lookup and the audit insert.
 */
export async function readDataVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ version: number }>({ name: 'lantern-data-version', text: 'SELECT version FROM data_version' });
  return rows[0]?.version ?? 0;
}
