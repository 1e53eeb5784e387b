import {
  AGE_BAND_IDS, CATEGORIES, GENDERS, LOCATION_KINDS, Meta, TIME_ZONE, WEEKDAYS,
} from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

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
  }, async (_request, reply) => {
    const summary = await app.metadata.summary();
    reply.header('cache-control', 'private, no-cache');
    return {
      ...summary,
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
