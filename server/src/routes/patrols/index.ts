import { randomInt } from 'node:crypto';
import {
  PATROL_DEFAULTS,
  PatrolDownloadParams,
  PatrolPlan,
  PatrolPlanList,
  PatrolPlanParams,
  PatrolPlanRequest,
} from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../../errors.js';
import { planToGeoJson, planToGpx } from '../../patrols/formats.js';
import { makePatrolPlan } from '../../patrols/plan.js';
import { hotspotSources } from '../../questions.js';

const patrols: FastifyPluginAsyncTypebox = async (app) => {
  const find = async (id: number) => {
    const plan = await app.patrols.get(id);
    if (!plan) throw new HttpError(404, `id: there is no patrol plan ${id}`, 'id');
    return plan;
  };

  app.post('/api/patrol-plans', {
    config: { access: ['police', 'analyst'], audit: true },
    schema: {
      summary: 'Make and save a patrol plan for a shift: 2-5 places ranked by harm in the same hours and weekday, with visit windows',
      description: 'Koper-curve dosage: visits of 10-15 minutes, each place at least every two hours, in an order drawn per plan. '
        + 'Incidents with an unknown hour never count. Police get no person attributes in the reasons.',
      tags: ['patrols'],
      body: PatrolPlanRequest,
      response: { 201: PatrolPlan },
    },
  }, async (request, reply) => {
    const user = request.viewer!.user;
    const plan = await makePatrolPlan(app.db, hotspotSources(app, await app.results.dataVersion()), {
      request: {
        ...request.body,
        lookbackWeeks: request.body.lookbackWeeks ?? PATROL_DEFAULTS.lookbackWeeks,
        places: request.body.places ?? PATROL_DEFAULTS.places,
        radius: request.body.radius ?? PATROL_DEFAULTS.radius,
      },
      personLevel: user.role === 'analyst',
      seed: randomInt(1, 2 ** 31 - 1),
      createdBy: user.displayName,
    });
    const saved = await app.patrols.save(plan, Number(user.id));
    request.auditRows = saved.places.length;
    return reply.code(201).send(saved);
  });

  app.get('/api/patrol-plans', {
    config: { access: ['police', 'analyst'], audit: true },
    schema: { summary: 'Saved patrol plans, newest first', tags: ['patrols'], response: { 200: PatrolPlanList } },
  }, async (request) => {
    const list = await app.patrols.list(200);
    request.auditRows = list.plans.length;
    return list;
  });

  app.get('/api/patrol-plans/:id', {
    config: { access: ['police', 'analyst'], audit: true },
    schema: { summary: 'One saved patrol plan', tags: ['patrols'], params: PatrolPlanParams, response: { 200: PatrolPlan } },
  }, async (request) => {
    const plan = await find(request.params.id);
    request.auditRows = plan.places.length;
    return plan;
  });

  app.get('/api/patrol-plans/:id/:format', {
    config: { access: ['police', 'analyst'], audit: true },
    schema: {
      summary: 'A saved patrol plan for devices: GPX 1.1 (waypoints and the route of visits) or GeoJSON',
      tags: ['patrols'], params: PatrolDownloadParams, produces: ['application/gpx+xml', 'application/geo+json'],
    },
  }, async (request, reply) => {
    const plan = await find(request.params.id);
    request.auditRows = plan.places.length;
    const gpx = request.params.format === 'gpx';
    return reply
      .type(gpx ? 'application/gpx+xml; charset=utf-8' : 'application/geo+json')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="lantern-patrol-${plan.id}-${plan.date}.${gpx ? 'gpx' : 'geojson'}"`)
      .send(gpx ? planToGpx(plan) : JSON.stringify(planToGeoJson(plan)));
  });
};
export default patrols;
