import { LocationCollection, LocationsQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { askLocationRanking } from '../../questions.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';

const locations: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/locations', {
    config: { access: ['analyst', 'police'], audit: true },
    schema: {
      summary: 'Locations of concern as GeoJSON, ranked by the harm of the filtered incidents within a radius, with the previous period',
      tags: ['data'],
      querystring: LocationsQuery,
      response: { 200: LocationCollection },
    },
  }, async (request, reply) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    reply.header('cache-control', 'private, no-cache');
    const collection = await askLocationRanking(app, filters, { limit: request.query.limit, radius: request.query.radius });
    request.auditRows = collection.features.length;
    return collection;
  });
};
export default locations;
