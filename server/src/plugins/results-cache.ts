// Computed analyses (hotspots) kept until the data changes. The database raises
// data_version on every statement that changes incidents, areas, places or harm
// weights (migration 0004), so a result is reused only while the data it was computed
// from is unchanged. Identical requests in flight share one computation. The audit
// row is still written for every request (plugins/access.ts); only the work is shared.
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import { readDataVersion } from './database.js';

declare module 'fastify' {
  interface FastifyInstance {
    results: ResultsCache;
  }
}

export interface ResultsCache {
  /**
   * The result for this route, query and role at the current data version: kept, or
   * computed now. `compute` is given the data_version the result is kept under (what
   * the column copy must hold to answer).
   */
  remember<T extends object>(request: FastifyRequest, compute: (dataVersion: number) => Promise<T>): Promise<T>;
  /**
   * The same for vector tiles, in a cache bounded by bytes (tiles are many and small):
   * the aggregated low-zoom tiles are the expensive ones and the ones everybody asks for.
   */
  rememberTile<T extends { mvt: Buffer }>(request: FastifyRequest, compute: () => Promise<T>): Promise<T>;
  /**
   * As remember, but keeps the answer already serialised by the route's response schema
   * (reply.serialize): a large result (thousands of Gi* cells) is then sent as it is
   * instead of being serialised again for every request. `rows` is for the audit log.
   */
  rememberJson<T extends object>(request: FastifyRequest, reply: FastifyReply, compute: (dataVersion: number) => Promise<T>, rows: (result: T) => number): Promise<{ json: string; rows: number }>;
  /**
   * A part result that several requests are made from (the hexagon counts of zooms
   * 10-13 under one filter, drawn into every tile of those zooms), kept under `name` and
   * `parts` until the data changes. The caller answers for `parts` holding everything
   * the result depends on (no role, route or query is added). `compute` is given the
   * data_version the result is kept under (what the column copy must hold to answer),
   * and a signal aborted when every request waiting for it (`asker`s) has gone before
   * its answer was sent; a computation with no asker (the warm-up's) is never aborted.
   */
  rememberShared<T extends object>(name: string, parts: object, compute: (dataVersion: number, signal: AbortSignal) => Promise<T>, asker?: FastifyRequest): Promise<T>;
  /** The data's version now (migration 0004): what every kept answer is kept under. */
  dataVersion(): Promise<number>;
  /** Whether `rememberShared(name, parts, ...)` would find its answer kept at the data's version now. */
  holds(name: string, parts: object): Promise<boolean>;
  readonly stats: { hits: number; misses: number };
}

/** JSON with object keys sorted, so that ?a=1&b=2 and ?b=2&a=1 are one key. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export default fp<{ maxEntries: number; tileCacheMb: number }>(
  async (app, options) => {
    const cache = options.maxEntries > 0 ? new LRUCache<string, Promise<object>>({ max: options.maxEntries }) : null;
    // Computations in flight that their askers may abandon: how many wait, and how to stop it.
    const inFlight = new Map<string, { waiting: number; controller: AbortController }>();
    const tiles = options.tileCacheMb > 0
      ? new LRUCache<string, { mvt: Buffer }>({ maxSize: options.tileCacheMb * 2 ** 20, sizeCalculation: (tile) => tile.mvt.length + 256 })
      : null;
    const stats = { hits: 0, misses: 0 };
    const dataVersion = () => readDataVersion(app.db);
    const sharedKey = (version: number, name: string, parts: object) => [version, 'shared', name, canonical(parts)].join('|');
    const keyOf = (version: number, request: FastifyRequest) => [version, request.routeOptions.url,
      request.viewer?.user.role ?? '', canonical(request.params), canonical(request.query)].join('|');
    // Identical computations in flight share one promise; a failed one is forgotten.
    const rememberUnder = async <T extends object>(key: string, compute: () => Promise<T>): Promise<T> => {
      if (!cache) return compute();
      const kept = cache.get(key);
      if (kept) {
        stats.hits += 1;
        return kept as Promise<T>;
      }
      stats.misses += 1;
      const pending = compute();
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
      return pending;
    };
    const remember = async <T extends object>(request: FastifyRequest, compute: (dataVersion: number) => Promise<T>): Promise<T> => {
      const version = await dataVersion();
      return rememberUnder(cache ? keyOf(version, request) : '', () => compute(version));
    };
    app.decorate('results', {
      stats,
      dataVersion,
      async holds(name: string, parts: object) {
        return cache?.has(sharedKey(await dataVersion(), name, parts)) ?? false;
      },
      remember,
      async rememberJson<T extends object>(request: FastifyRequest, reply: FastifyReply, compute: (dataVersion: number) => Promise<T>, rows: (result: T) => number) {
        return remember(request, async (version) => {
          const result = await compute(version);
          return { json: reply.serialize(result) as string, rows: rows(result) };
        });
      },
      async rememberShared<T extends object>(name: string, parts: object, compute: (dataVersion: number, signal: AbortSignal) => Promise<T>, asker?: FastifyRequest): Promise<T> {
        const version = await dataVersion();
        const key = sharedKey(version, name, parts);
        let started: { waiting: number; controller: AbortController } | undefined;
        const answer = rememberUnder(cache ? key : '', () => {
          const controller = new AbortController();
          // Without an asker, nobody can abandon it: one waiter that never leaves.
          started = { waiting: asker ? 0 : 1, controller };
          inFlight.set(key, started);
          const pending = compute(version, controller.signal);
          pending.finally(() => { if (inFlight.get(key) === started) inFlight.delete(key); }).catch(() => {});
          return pending;
        });
        const flight = started ?? inFlight.get(key);
        if (asker && flight) {
          flight.waiting += 1;
          // The connection closing before the answer is ready: this asker has gone.
          const gone = () => {
            flight.waiting -= 1;
            if (flight.waiting === 0 && inFlight.get(key) === flight) {
              inFlight.delete(key);
              cache?.delete(key);
              flight.controller.abort(new Error('every asker has gone'));
            }
          };
          asker.socket.once('close', gone);
          answer.finally(() => asker.socket.off('close', gone)).catch(() => {});
        }
        return answer;
      },
      async rememberTile<T extends { mvt: Buffer }>(request: FastifyRequest, compute: () => Promise<T>): Promise<T> {
        if (!tiles) return compute();
        const key = keyOf(await dataVersion(), request);
        const kept = tiles.get(key);
        if (kept) {
          stats.hits += 1;
          return kept as T;
        }
        stats.misses += 1;
        const tile = await compute();
        tiles.set(key, tile);
        return tile;
      },
    });
  },
  { name: 'results-cache', dependencies: ['database'] },
);
