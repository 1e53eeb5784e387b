import { DEFAULT_LOCATION_RADIUS, LocationCollection, LocationsQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
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
    const collection = await app.results.remember(request, async () => app.locations.list(filters, {
      limit: request.query.limit ?? 2000, radius: request.query.radius ?? DEFAULT_LOCATION_RADIUS,
      dataRange: await app.metadata.dateRange(),
    }));
    request.auditRows = collection.features.length;
    return collection;
  });
};
export default locations;
