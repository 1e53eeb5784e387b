import { IncidentExportQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { csvLines } from '../../csv.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';

const COLUMNS = ['id', 'category', 'source', 'date', 'hour', 'timePrecision', 'lon', 'lat', 'nearestPlace', 'harm', 'outcome', 'outcomeWords'];
const PERSON_COLUMNS = ['ageBand', 'gender', 'ethnicity', 'role'];

const exportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/exports/incidents', {
    config: { access: ['analyst', 'police'], audit: true },
    schema: {
      summary: 'Export incident points for the filters as CSV or GeoJSON; a justification is required and audited',
      description: 'Analysts get age band, gender, ethnicity and role too; police get places, times and categories. '
        + 'person_ref is never exported.',
      tags: ['data'],
      querystring: IncidentExportQuery,
      produces: ['text/csv', 'application/geo+json'],
    },
  }, async (request, reply) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    const personLevel = request.viewer?.user.role === 'analyst';
    const rows = await app.incidents.exportPoints(filters, request.query.limit ?? 50_000, personLevel);
    request.auditRows = rows.length;
    request.auditJustification = request.query.justification;
    const columns = personLevel ? [...COLUMNS, ...PERSON_COLUMNS] : COLUMNS;
    reply.header('cache-control', 'no-store');
    if (request.query.format === 'geojson') {
      const collection = {
        type: 'FeatureCollection',
        features: rows.map(({ lon, lat, ...properties }) => ({
          type: 'Feature', id: properties.id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties,
        })),
      };
      return reply.type('application/geo+json')
        .header('content-disposition', 'attachment; filename="lantern-incidents.geojson"')
        .send(JSON.stringify(collection));
    }
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="lantern-incidents.csv"')
      .send(csvLines(columns, rows));
  });
};
export default exportsRoutes;
