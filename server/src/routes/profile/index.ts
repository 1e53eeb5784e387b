import { DEFAULT_LOCATION_RADIUS, HourWeekdayProfile, ProfileQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError, MESSAGES } from '../../errors.js';
import { askHourWeekdayProfile, askNotJudged } from '../../questions.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';

const profile: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/profile/hour-weekday', {
    config: { access: ['analyst', 'police'], audit: true },
    schema: {
      summary: '7 x 24 counts (local time) of the filtered incidents, as episodes and as people',
      tags: ['data'],
      querystring: ProfileQuery,
      response: { 200: HourWeekdayProfile },
    },
  }, async (request, reply) => {
    const filters = filtersOrThrow(pickFilterQuery(request.query));
    const { locationId, radius = DEFAULT_LOCATION_RADIUS } = request.query;
    if (locationId !== undefined && !(await app.locations.exists(locationId))) {
      throw new HttpError(400, `locationId: ${MESSAGES.locationNotFound(locationId)}`, 'locationId');
    }
    reply.header('cache-control', 'private, no-cache');
    // Kept until the data changes: switching back to a filter redraws the chart at once.
    const [profile, notJudged] = await Promise.all([
      askHourWeekdayProfile(app, filters, locationId === undefined ? undefined : { locationId, radius }),
      // Near a place the chart counts that place's incidents; the district's unjudged are then not its own.
      locationId === undefined ? askNotJudged(app, filters) : Promise.resolve(undefined),
    ]);
    request.auditRows = profile.totals.episodes;
    return notJudged ? { ...profile, notJudged: notJudged.counts } : profile;
  });
};
export default profile;
