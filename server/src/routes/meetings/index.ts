import { describeNotJudged, MeetingPack, MeetingPackCsvQuery, MeetingPackQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { csvField } from '../../csv.js';
import { HttpError } from '../../errors.js';
import { buildMeetingPack } from '../../meetings/pack.js';

const meetings: FastifyPluginAsyncTypebox = async (app) => {
  const packFor = async (request: FastifyRequest<{ Querystring: MeetingPackQuery }>) => {
    // The CSV's `section` only picks a table: the pack is the same.
    const { section: _section, ...query } = request.query as MeetingPackQuery & { section?: string };
    const pack = await app.results.remember(request, () => buildMeetingPack(app, query));
    request.auditRows = pack.sections.reduce((sum, s) => sum + s.rows.length, 0);
    return pack;
  };

  app.get('/api/meeting-pack', {
    config: { access: ['analyst'], audit: true },
    schema: {
      summary: 'The OEM or SVOG meeting pack since the previous meeting: new and intensifying hot spots, places whose harm rose or fell most, people vs episodes by category, cuckooing and county lines by area',
      tags: ['data'],
      querystring: MeetingPackQuery,
      response: { 200: MeetingPack },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'private, no-cache');
    return packFor(request);
  });

  app.get('/api/meeting-pack.csv', {
    config: { access: ['analyst'], audit: true },
    schema: { summary: 'One section of the meeting pack as CSV, with a header block', tags: ['data'], querystring: MeetingPackCsvQuery, produces: ['text/csv'] },
  }, async (request, reply) => {
    const pack = await packFor(request);
    const table = pack.sections.find((s) => s.id === request.query.section);
    if (!table) throw new HttpError(400, 'this pack has no such section (no areas are loaded)', 'section');
    const line = (cells: unknown[]) => cells.map(csvField).join(',');
    const csv = [
      line([pack.title]), line(['Section', table.title]), line(['Period', `${pack.period.from} to ${pack.period.to}`]),
      line(['Compared with', `${pack.comparison.from} to ${pack.comparison.to}`]), line(['Notes', table.description]),
      ...describeNotJudged(table.notJudged).map((text) => line(['Not judged', text])),
      line(['Data sources', pack.sources.join('; ')]), '', line(table.columns), ...table.rows.map(line),
    ].join('\r\n');
    return reply.type('text/csv; charset=utf-8').header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="lantern-${pack.meeting}-${pack.date}-${table.id}.csv"`)
      .send(`${csv}\r\n`);
  });
};
export default meetings;
