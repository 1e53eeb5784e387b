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
declare const _default: import("fastify").FastifyPluginCallback<DatabaseOptions, import("fastify").RawServerDefault, import("fastify").FastifyTypeProviderDefault, import("fastify").FastifyBaseLogger>;
export default _default;
/** Client or pool: repository methods take either, so callers can share a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;
