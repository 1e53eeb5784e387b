// One error handler for the whole app: 4xx messages go to the client as written,
// 5xx answers are generic and never carry database text; logs carry the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError, MESSAGES } from '../errors.js';

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: { description?: string };
}

/** "hours: expected ..." from an ajv error, naming the field and the rule it broke. */
export function describeValidation(issue: ValidationIssue, dataVar: string): { field: string; message: string } {
  let field = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (issue.keyword === 'additionalProperties') {
    const extra = String(issue.params.additionalProperty);
    return { field: extra, message: `${extra}: unknown ${dataVar} parameter` };
  }
  if (issue.keyword === 'required') {
    field = String(issue.params.missingProperty);
    return { field, message: `${field}: is required` };
  }
  if (!field) field = dataVar;
  const hint = issue.parentSchema?.description;
  const rule = issue.keyword === 'pattern' || issue.keyword === 'format' || issue.keyword === 'anyOf'
    ? `is not valid${hint ? ` (expected ${hint})` : ''}`
    : `${issue.message ?? 'is not valid'}${hint ? ` (${hint})` : ''}`;
  return { field, message: `${field}: ${rule}` };
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02',
  '57P03', '08000', '08001', '08003', '08006']);

/** The message for a database that is down or a query cut off by statement_timeout. */
function databaseTrouble(error: unknown): string | null {
  const { code, message } = error as { code?: string; message?: string };
  if (code === '57014') return MESSAGES.queryTooSlow;
  if ((code && CONNECTION_CODES.has(code)) || /Connection terminated|timeout exceeded when trying to connect/.test(message ?? '')) {
    return MESSAGES.databaseDown;
  }
  return null;
}

function send(reply: FastifyReply, statusCode: number, message: string, field?: string) {
  const error = statusCode === 404 ? 'Not Found' : statusCode === 500 ? 'Internal Server Error'
    : statusCode === 401 ? 'Unauthorized' : statusCode === 403 ? 'Forbidden'
    : statusCode === 429 ? 'Too Many Requests' : statusCode === 503 ? 'Service Unavailable' : 'Bad Request';
  return reply
    .code(statusCode)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(field ? { statusCode, error, message, field } : { statusCode, error, message });
}

export interface ErrorHandlerOptions {
  /** Answer unknown GET paths outside /api/ with the single-page app's index.html. */
  singlePageApp?: boolean;
}

export default fp<ErrorHandlerOptions>(
  async (app: FastifyInstance, options) => {
    app.setErrorHandler((error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply) => {
      if (error instanceof HttpError) {
        if (error.statusCode >= 500) request.log.error({ err: error }, 'server error');
        return send(reply, error.statusCode, error.message, error.field);
      }
      const fastifyError = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
      if (fastifyError.validation && fastifyError.validation.length > 0) {
        const first = describeValidation(fastifyError.validation[0]!, fastifyError.validationContext ?? 'request');
        return send(reply, 400, first.message, first.field);
      }
      const unavailable = databaseTrouble(error);
      if (unavailable) {
        request.log.warn({ err: error, url: request.url }, 'database unavailable or too slow');
        // A hint for scripts and the API's users: try again after a short wait.
        reply.header('retry-after', '5');
        return send(reply, 503, unavailable);
      }
      const status = fastifyError.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // Fastify's own client errors (bad JSON, body too large, bad content type) are safe to show.
        return send(reply, status, fastifyError.message);
      }
      request.log.error({ err: error, url: request.url }, 'unhandled error');
      return send(reply, 500, MESSAGES.internal);
    });
    app.setNotFoundHandler((request, reply) => {
      const api = request.url.startsWith('/api/') || request.url.startsWith('/ogc');
      if (options.singlePageApp && !api && request.method === 'GET') {
        return reply.header('cache-control', 'no-cache').sendFile('index.html');
      }
      return send(reply, 404, MESSAGES.notFound);
    });
  },
  { name: 'error-handler' },
);
