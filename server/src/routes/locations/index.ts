import { LocationCollection, LocationsQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';

const locations: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/locations', {
    schema: {
      summary: 'Locations of concern as GeoJSON, with the filtered incidents nearest each',
      tags: ['data'],
      querystring: LocationsQuery,
      response: { 200: LocationCollection },
    },
  }, async (request, reply) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    reply.header('cache-control', 'private, no-cache');
    return app.locations.list(filters, request.query.limit ?? 2000);
  });
};
export default locations;
