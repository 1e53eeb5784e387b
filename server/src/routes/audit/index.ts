import { AuditLog, AuditQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { csvLines } from '../../csv.js';

const CSV_COLUMNS = ['id', 'at', 'username', 'role', 'action', 'path', 'rowsReturned', 'requests', 'status', 'justification'] as const;

const audit: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/audit', {
    config: { access: ['admin'], audit: true },
    schema: {
      summary: 'Search the audit log (admin); format=csv to export',
      tags: ['admin'],
      querystring: AuditQuery,
      response: { 200: AuditLog },
    },
  }, async (request, reply) => {
    const entries = await app.audit.search(request.query);
    request.auditRows = entries.length;
    reply.header('cache-control', 'no-store');
    if (request.query.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="lantern-audit-log.csv"')
        .serializer((body: string) => body)
        .send(csvLines([...CSV_COLUMNS, 'filters'], entries) as never);
    }
    return { entries };
  });
};
export default audit;
