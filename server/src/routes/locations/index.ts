import { LocationCollection, LocationsQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { askLocationRanking, askNotJudged } from '../../questions.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';
import { sendSerialised } from '../send.js';

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
    // Kept as the JSON the schema made: 1,082 real places with their outlines are about
    // 570 KB, and serialising them again for every request held kept answers to 29 requests/s at 16 clients.
    const { json, rows } = await app.results.rememberJson(request, reply, async () => {
      const [collection, notJudged] = await Promise.all([
        askLocationRanking(app, filters, { limit: request.query.limit, radius: request.query.radius }),
        askNotJudged(app, filters),
      ]);
      // What the filters could not judge, over the district (the ranking's places count a part of it).
      return { ...collection, notJudged: notJudged.counts };
    }, (collection) => collection.features.length);
    request.auditRows = rows;
    return sendSerialised(reply, json);
  });
};
export default locations;
