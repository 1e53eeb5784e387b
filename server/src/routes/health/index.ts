import { Health } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MESSAGES } from '../../errors.js';

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/health', {
    config: { access: 'public' },
    schema: {
      summary: 'Is Lantern up, and can it reach its database?',
      tags: ['service'],
      response: { 200: Health, 503: Health },
    },
  }, async (request, reply) => {
    try {
      await app.metadata.ping();
      const eventLoopDelay = app.eventLoop.delay();
      return { status: 'ok', database: 'up', questions: app.warmUp.status, columns: app.columns.status, ...(eventLoopDelay ? { eventLoopDelay } : {}) } as const;
    } catch (error) {
      request.log.warn({ err: error }, 'health check: database unreachable');
      return reply.code(503).header('cache-control', 'no-store')
        .send({ status: 'unavailable', database: 'down', message: MESSAGES.databaseDown });
    }
  });
};
export default health;
