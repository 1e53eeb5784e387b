import { NEAR_REPEAT_LIMIT, NearRepeatQuery, NearRepeatResult } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../../errors.js';
import { askNearRepeat } from '../../questions.js';
import { sendSerialised } from '../send.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';

const analysis: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/analysis/near-repeat', {
    config: { access: ['analyst', 'police'], audit: true },
    schema: {
      summary: 'Near repeats: the Knox test (distance bands x time bands, observed and expected pairs, Monte Carlo p-values, seeded)',
      tags: ['hotspots'],
      querystring: NearRepeatQuery,
      response: { 200: NearRepeatResult },
    },
  }, async (request, reply) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    const { spatialBand = 200, spatialBands = 5, temporalBand = 7, temporalBands = 4, iterations = 99, seed = 1 } = request.query;
    const answer = await askNearRepeat(app, filters, { spatialBand, spatialBands, temporalBand, temporalBands, iterations, seed }, request);
    if ('tooMany' in answer) {
      throw new HttpError(400, `categories: ${answer.tooMany.toLocaleString('en-GB')} incidents match; the Knox test takes at most ${NEAR_REPEAT_LIMIT.toLocaleString('en-GB')} (narrow the dates, categories or hours)`, 'categories');
    }
    request.auditRows = answer.rows;
    return sendSerialised(reply, answer.body);
  });
};
export default analysis;
