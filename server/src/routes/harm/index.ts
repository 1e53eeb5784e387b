import { HarmWeightParams, HarmWeights, HarmWeightUpdate, HarmWeightUpdated } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const harm: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/harm-weights', {
    config: { access: 'signed-in' },
    schema: {
      summary: 'The harm weight per category (days of custody, Cambridge Crime Harm Index style) and its basis',
      tags: ['data'],
      response: { 200: HarmWeights },
    },
  }, async () => ({ weights: await app.harmWeights.list() }));

  app.put('/api/harm-weights/:category', {
    // Audited: a weight changes every harm figure Lantern shows.
    config: { access: ['admin'], audit: true },
    schema: {
      summary: 'Change one category\'s harm weight (admin); every incident of the category takes it at once',
      tags: ['admin'],
      params: HarmWeightParams,
      body: HarmWeightUpdate,
      response: { 200: HarmWeightUpdated },
    },
  }, async (request) => {
    const { weight, basis } = request.body;
    const updated = await app.harmWeights.update(request.params.category, weight, basis.trim(), request.viewer!.user.username);
    request.auditRows = updated.incidentsReweighted;
    return updated;
  });
};
export default harm;
