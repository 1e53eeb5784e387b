import {
  AGE_BAND_IDS, CATEGORIES, GENDERS, LOCATION_KINDS, Meta, TIME_ZONE, WEEKDAYS,
} from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { perturb } from '../../disclosure/protect.js';
import { askIncidentTotals } from '../../questions.js';

export interface MetaRouteOptions {
  basemapStyleUrl: string;
}

const meta: FastifyPluginAsyncTypebox<MetaRouteOptions> = async (app, options) => {
  app.get('/api/meta', {
    config: { access: 'signed-in' },
    schema: {
      summary: 'What the database holds: demo flag, counts, date range, extent, vocabulary, area levels',
      tags: ['data'],
      response: { 200: Meta },
    },
  }, async (request, reply) => {
    const [summary, totals] = await Promise.all([app.metadata.summary(), askIncidentTotals(app)]);
    const { keys, ...exact } = totals;
    const counts = { ...exact, ...summary.counts };
    const panel = request.viewer?.user.role === 'panel';
    reply.header('cache-control', 'private, no-cache');
    return {
      ...summary,
      counts: panel
        ? { ...counts, incidents: perturb(counts.incidents, keys.incidents), people: perturb(counts.people, keys.people), timeUnknown: perturb(counts.timeUnknown, keys.timeUnknown) }
        : counts,
      vocabulary: {
        categories: [...CATEGORIES],
        locationKinds: [...LOCATION_KINDS],
        ageBands: [...AGE_BAND_IDS],
        genders: [...GENDERS],
        weekdays: [...WEEKDAYS],
      },
      timeZone: TIME_ZONE,
      basemapStyleUrl: options.basemapStyleUrl || null,
    };
  });
};
export default meta;
