import {
  EmergingQuery, EmergingResult, EvaluateQuery, EvaluateResult, GiStarQuery, GiStarResult, KdeQuery, KdeResult, OUTSIDE_STUDY_AREA, type FilterQuery,
} from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badRequest } from '../../errors.js';
import { TREND_ALPHA } from '../../hotspots/emerging.js';
import { chooseCellSize, EMERGING_DEFAULTS, evaluateHotspots } from '../../hotspots/engine.js';
import { askEmergingHotspots, askGiStar, askKernelDensity, hotspotSources } from '../../questions.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';
import { sendSerialised } from '../send.js';

const ROLES = ['analyst', 'police'] as const;

const hotspots: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/hotspots/gistar', {
    config: { access: ROLES, audit: true },
    schema: {
      summary: 'Getis-Ord Gi* hot and cold spots on a hexagon grid over the district, with FDR-aware confidence bins',
      tags: ['hotspots'],
      querystring: GiStarQuery,
      response: { 200: GiStarResult },
    },
  }, async (request, reply) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    const { body, rows } = await askGiStar(app, filters, {
      cellSize: request.query.cellSize, band: request.query.band, fdr: request.query.fdr ?? true, weight: request.query.weight ?? 'count',
    }, request);
    request.auditRows = rows;
    return sendSerialised(reply, body);
  });

  app.get('/api/hotspots/kde', {
    config: { access: ROLES, audit: true },
    schema: {
      summary: 'Quartic kernel density surface (per km²) on a square grid in British National Grid',
      tags: ['hotspots'],
      querystring: KdeQuery,
      response: { 200: KdeResult },
    },
  }, async (request, reply) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    // Serialised once, in a worker thread, and kept so.
    const { body, rows } = await askKernelDensity(app, filters, {
      bandwidth: request.query.bandwidth, resolution: request.query.resolution, weight: request.query.weight ?? 'count',
    }, request);
    request.auditRows = rows;
    return sendSerialised(reply, body);
  });

  app.get('/api/hotspots/emerging', {
    config: { access: ROLES, audit: true },
    schema: {
      summary: 'Emerging hot spots: Gi* per time slice in a space-time cube, Mann-Kendall trends and ArcGIS\'s pattern categories',
      tags: ['hotspots'],
      querystring: EmergingQuery,
      response: { 200: EmergingResult },
    },
  }, async (request, reply) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    const dateRange = await app.metadata.dateRange();
    if (!dateRange) return { type: 'FeatureCollection' as const, parameters: {
      cellSize: 0, band: 0, slice: request.query.slice ?? 'month', slices: 0, firstSlice: '', lastSliceEnds: '',
      timeSteps: request.query.timeSteps ?? 1, fdr: request.query.fdr ?? true, cells: 0, incidents: 0,
      outside: { incidents: 0, reason: OUTSIDE_STUDY_AREA }, partialSlice: null, trendAlpha: TREND_ALPHA,
      significance: 'no incidents', crs: 'EPSG:27700' as const }, summary: {}, features: [] };
    const { body, rows } = await askEmergingHotspots(app, filters, {
      cellSize: request.query.cellSize ?? EMERGING_DEFAULTS.cellSize, band: request.query.band, slice: request.query.slice ?? EMERGING_DEFAULTS.slice,
      timeSteps: request.query.timeSteps ?? EMERGING_DEFAULTS.timeSteps, fdr: request.query.fdr ?? EMERGING_DEFAULTS.fdr, dateRange,
    }, request);
    request.auditRows = rows;
    return sendSerialised(reply, body);
  });

  app.get('/api/hotspots/evaluate', {
    config: { access: ROLES, audit: true },
    schema: {
      summary: 'Predictive Accuracy Index and Predictive Efficiency Index of a hotspot map built on a training period',
      tags: ['hotspots'],
      querystring: EvaluateQuery,
      response: { 200: EvaluateResult },
    },
  }, async (request) => {
    const query = request.query;
    const { from: _from, to: _to, ...rest } = pickFilterQuery(query as FilterQuery & Record<string, unknown>);
    const filters = filtersOrThrow(rest);
    if (query.trainFrom > query.trainTo) throw badRequest('trainTo', 'is before trainFrom');
    if (query.testFrom > query.testTo) throw badRequest('testTo', 'is before testFrom');
    const data = hotspotSources(app, await app.results.dataVersion());
    const cellSize = await chooseCellSize(data, { ...filters, from: query.trainFrom, to: query.trainTo }, query.cellSize);
    const result = await evaluateHotspots(data, filters, {
      method: query.method ?? 'gistar', cellSize, top: query.top ?? 5,
      trainFrom: query.trainFrom, trainTo: query.trainTo, testFrom: query.testFrom, testTo: query.testTo,
    });
    request.auditRows = result.parameters.cells;
    return result;
  });
};
export default hotspots;
