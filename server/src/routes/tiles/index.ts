import { TileParams, TileQuery, type FilterQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError, MESSAGES } from '../../errors.js';
import { askHexagonCounts, askTileIncidents } from '../../questions.js';
import { drawIncidentTile } from '../../repositories/incidents.js';
import { filtersOrThrow } from '../parse-filters.js';

export interface TileRouteOptions {
  featureLimit: number;
}

const tiles: FastifyPluginAsyncTypebox<TileRouteOptions> = async (app, options) => {
  app.get('/api/tiles/incidents/:z/:x/:y.mvt', {
    config: { access: ['analyst', 'police'], audit: true },
    schema: {
      summary: 'Incidents as a Mapbox Vector Tile (layer "incidents")',
      description: 'Hexagons with count, harm and density (per km²) below zoom 14; '
        + 'points with category, date, hour, harm (and ageBand for analysts) from zoom 14, except that a tile holding more than the feature cap '
        + '(TILE_FEATURE_LIMIT) shows zoom 13\'s hexagons instead. '
        + 'Tiles are kept (TILE_CACHE_MB) until the data changes.',
      tags: ['data'],
      params: TileParams,
      querystring: TileQuery,
      produces: ['application/vnd.mapbox-vector-tile'],
    },
  }, async (request, reply) => {
    const { z, x, y } = request.params;
    if (x >= 2 ** z || y >= 2 ** z) throw new HttpError(400, MESSAGES.tileOutOfRange(z), 'x');
    const filters = filtersOrThrow(request.query as FilterQuery);
    // Person-level attributes (age band) only for analysts; police get places and times.
    const personLevel = request.viewer?.user.role === 'analyst';
    // The hexagon counts of zooms 10-13 under a filter are made once and drawn into all
    // their tiles; from the point zoom they say whether the tile needs its incidents.
    const tile = await app.results.rememberTile(request, () => drawIncidentTile(app.incidents, {
      hexagonCounts: (asked) => askHexagonCounts(app, asked),
      tileIncidents: (asked, address, limit) => askTileIncidents(app, asked, address, limit),
    }, { z, x, y }, filters, options.featureLimit, personLevel));
    request.auditRows = tile.features;
    return reply
      .header('content-type', 'application/vnd.mapbox-vector-tile')
      // Incident data is sensitive: browsers may reuse a tile briefly, shared caches never.
      .header('cache-control', 'private, max-age=300')
      .header('x-feature-count', String(tile.features))
      .send(tile.mvt);
  });
};
export default tiles;
