import { AreaCollection, AreasQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const areas: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/areas', {
    config: { access: ['analyst', 'police', 'panel'] },
    schema: {
      summary: 'Areas of one level as GeoJSON (outlines simplified in metres)',
      tags: ['data'],
      querystring: AreasQuery,
      response: { 200: AreaCollection },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'private, max-age=300');
    return app.areas.byLevel(request.query.level, request.query.simplify ?? 10);
  });
};
export default areas;
