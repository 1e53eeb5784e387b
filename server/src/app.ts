// buildApp(config): the whole Lantern server as a Fastify instance, without listening.
// Order: external plugins, then the database and repositories, then routes.
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Config } from './config.js';
import { HttpError, MESSAGES } from './errors.js';
import access from './plugins/access.js';
import database from './plugins/database.js';
import errorHandler from './plugins/error-handler.js';
import inputGuard from './plugins/input-guard.js';
import areasRepository from './repositories/areas.js';
import harmWeightsRepository from './repositories/harm.js';
import resultsCache from './plugins/results-cache.js';
import columnCopy from './plugins/column-copy.js';
import counting from './plugins/counting.js';
import warmUp from './plugins/warm-up.js';
import hotspotStudyRepository from './repositories/hotspots.js';
import auditRepository from './repositories/audit.js';
import importsRepository from './repositories/imports.js';
import incidentsRepository from './repositories/incidents.js';
import locationsRepository from './repositories/locations.js';
import metadataRepository from './repositories/meta.js';
import patrolsRepository from './repositories/patrols.js';
import basemapRepository from './repositories/basemap.js';
import tokensRepository from './repositories/tokens.js';
import summariesRepository from './repositories/summaries.js';
import usersRepository from './repositories/users.js';
import areasRoutes from './routes/areas/index.js';
import auditRoutes from './routes/audit/index.js';
import authRoutes from './routes/auth/index.js';
import exportRoutes from './routes/exports/index.js';
import harmRoutes from './routes/harm/index.js';
import compute from './plugins/compute.js';
import eventLoop from './plugins/event-loop.js';
import healthRoutes from './routes/health/index.js';
import hotspotRoutes from './routes/hotspots/index.js';
import importRoutes from './routes/imports/index.js';
import locationsRoutes from './routes/locations/index.js';
import metaRoutes from './routes/meta/index.js';
import meetingRoutes from './routes/meetings/index.js';
import ogcRoutes from './routes/ogc/index.js';
import patrolRoutes from './routes/patrols/index.js';
import profileRoutes from './routes/profile/index.js';
import peopleRoutes from './routes/people/index.js';
import analysisRoutes from './routes/analysis/index.js';
import summaryRoutes from './routes/summaries/index.js';
import tileRoutes from './routes/tiles/index.js';
import basemapRoutes from './routes/basemap/index.js';
import tokenRoutes from './routes/tokens/index.js';
import userRoutes from './routes/users/index.js';

export type { Config } from './config.js';
export { configWith, loadConfig } from './config.js';

/** How often the warm-up checks data_version for changes made by another process (the import CLI, the demo loader): it then loads a new column copy and answers the opening questions again. */
const WARM_UP_INTERVAL_MS = 15_000;

function contentSecurityPolicy(config: Config) {
  const basemapOrigin = config.BASEMAP_STYLE_URL ? new URL(config.BASEMAP_STYLE_URL).origin : null;
  const connect = ["'self'", ...(basemapOrigin ? [basemapOrigin] : [])];
  return {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // MapLibre and deck.gl set element styles at run time.
      styleSrc: ["'self'", "'unsafe-inline'"],
      // MapLibre decodes tiles in blob: workers and draws images from blob:/data: URLs.
      workerSrc: ["'self'", 'blob:'],
      childSrc: ["'self'", 'blob:'],
      imgSrc: ["'self'", 'data:', 'blob:', ...(basemapOrigin ? [basemapOrigin] : [])],
      connectSrc: connect,
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      upgradeInsecureRequests: null,
    },
  };
}

export async function buildApp(config: Config, options: Pick<FastifyServerOptions, 'logger'> = {}) {
  const app = Fastify({
    logger: options.logger ?? { level: config.LOG_LEVEL },
    ajv: {
      customOptions: {
        // Unknown parameters are refused (a typo like hour= must not silently mean "all").
        removeAdditional: false,
        coerceTypes: true,
        useDefaults: true,
        allErrors: false,
        // Keeps the schema beside each error so messages can quote the field's description.
        verbose: true,
      },
    },
    routerOptions: { maxParamLength: 200 },
    trustProxy: config.TRUST_PROXY,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(helmet, {
    contentSecurityPolicy: contentSecurityPolicy(config),
    // HSTS is sent only over HTTPS (see the onSend hook below); browsers ignore it on HTTP.
    hsts: false,
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  });
  // JSON, GeoJSON, CSV and GPX answers compressed when the client accepts it (brotli at a
  // quality that costs a few milliseconds for the largest answers, else gzip). Vector
  // tiles are not: mime-db does not mark them compressible, and each would cost CPU on
  // the map's hottest route.
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new HttpError(429, MESSAGES.tooManyRequests),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Lantern API',
        description: 'Hotspot mapping for contextual safeguarding and serious-violence planning.',
        version: '0.1.0',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const serveWeb = Boolean(config.STATIC_DIR) && existsSync(path.join(config.STATIC_DIR, 'index.html'));
  await app.register(errorHandler, { singlePageApp: serveWeb });
  await app.register(database, {
    connectionString: config.DATABASE_URL,
    statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
    poolSize: config.POOL_SIZE,
  });
  await app.register(inputGuard);
  await app.register(metadataRepository);
  await app.register(incidentsRepository);
  await app.register(locationsRepository);
  await app.register(areasRepository);
  await app.register(summariesRepository);
  await app.register(hotspotStudyRepository);
  await app.register(harmWeightsRepository);
  await app.register(importsRepository);
  await app.register(patrolsRepository);
  await app.register(basemapRepository);
  await app.register(resultsCache, { maxEntries: config.RESULT_CACHE_ENTRIES, tileCacheMb: config.TILE_CACHE_MB });
  await app.register(columnCopy, { enabled: config.COLUMN_COPY });
  await app.register(counting);
  await app.register(compute, { threads: config.COMPUTE_THREADS });
  await app.register(warmUp, {
    questions: config.WARM_QUESTIONS && config.RESULT_CACHE_ENTRIES > 0, intervalMs: WARM_UP_INTERVAL_MS,
  });
  await app.register(usersRepository);
  await app.register(tokensRepository);
  await app.register(auditRepository);
  await app.register(access, { idleMinutes: config.SESSION_IDLE_MINUTES, absoluteHours: config.SESSION_ABSOLUTE_HOURS });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(eventLoop);
  await app.register(healthRoutes);
  await app.register(authRoutes, {
    idleMinutes: config.SESSION_IDLE_MINUTES,
    absoluteHours: config.SESSION_ABSOLUTE_HOURS,
    attemptsPerMinute: config.LOGIN_ATTEMPTS_PER_MINUTE,
    lockoutFailures: config.LOCKOUT_FAILURES,
    lockoutMinutes: config.LOCKOUT_MINUTES,
  });
  await app.register(auditRoutes);
  await app.register(userRoutes);
  await app.register(tokenRoutes, { maxDays: config.API_TOKEN_DAYS });
  // Data routes: each declares its roles and whether it is audited (plugins/access.ts).
  await app.register(async (data) => {
    await data.register(metaRoutes, { basemapStyleUrl: config.BASEMAP_STYLE_URL });
    await data.register(tileRoutes, { featureLimit: config.TILE_FEATURE_LIMIT });
    await data.register(basemapRoutes, { cacheMb: Math.min(config.TILE_CACHE_MB, 64) });
    await data.register(locationsRoutes);
    await data.register(areasRoutes);
    await data.register(profileRoutes);
    await data.register(peopleRoutes);
    await data.register(analysisRoutes);
    await data.register(summaryRoutes);
    await data.register(exportRoutes);
    await data.register(hotspotRoutes);
    await data.register(harmRoutes);
    await data.register(patrolRoutes);
    await data.register(meetingRoutes);
    await data.register(ogcRoutes);
    await data.register(importRoutes, { personRefSecret: config.PERSON_REF_SECRET, maxUploadMb: config.IMPORT_UPLOAD_MAX_MB });
  });

  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: path.resolve(config.STATIC_DIR),
      wildcard: true,
      // The build's .br and .gz copies (web/vite.config.ts), for browsers that accept them.
      preCompressed: true,
      setHeaders(reply, filePath) {
        // Vite names built assets by content hash, so they never change under a name.
        if (filePath.includes(`${path.sep}assets${path.sep}`)) {
          reply.header('cache-control', 'public, max-age=31536000, immutable');
        } else if (filePath.endsWith('.html')) {
          // The page: always checked, so a new build is picked up at once.
          reply.header('cache-control', 'no-cache');
        } else {
          // The rest (the favicon): kept a day. Chromium asks for the favicon again each
          // time the map's filters change its URL; checked every time, that request took
          // one of the six connections the page's questions and tiles need at that moment.
          reply.header('cache-control', 'public, max-age=86400');
        }
      },
    });
  }

  return app;
}
