import { AuditLog, AuditQuery } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const CSV_COLUMNS = ['id', 'at', 'username', 'role', 'action', 'path', 'rowsReturned', 'status', 'justification'] as const;

/** One CSV field, quoted when it holds a comma, quote or line break; formulas defused. */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

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
      const lines = [
        [...CSV_COLUMNS, 'filters'].join(','),
        ...entries.map((entry) => [...CSV_COLUMNS.map((column) => csvField(entry[column])), csvField(entry.filters)].join(',')),
      ];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="lantern-audit-log.csv"')
        .serializer((body: string) => body)
        .send(`${lines.join("\r\n")}\r\n` as never);
    }
    return { entries };
  });
};
export default audit;
