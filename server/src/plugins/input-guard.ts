// Strict checks on the raw text of query and path parameters, before the schemas (whose
// number coercion takes "Infinity", "1e309", "0x10" and ids past 2^63 as numbers):
// a number parameter must be written as a plain decimal that JavaScript and PostgreSQL
// hold exactly, and no parameter may carry control characters or run past 2,000
// characters. After the schemas, area codes must name loaded areas: an unknown code
// would otherwise answer an empty 200 that reads as "nothing happened there". Each
// refusal is a 400 naming the field.
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { badRequest } from '../errors.js';

/** Up to 15 digits before an optional point (well inside 2^53 and bigint), up to 10 after. */
const PLAIN_DECIMAL = /^-?(0|[1-9]\d{0,14})(\.\d{1,10})?$/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONGEST = 2000;

interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
}

const isNumeric = (schema: JsonSchema | undefined): boolean => {
  if (!schema) return false;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.some((type) => type === 'number' || type === 'integer') || (schema.anyOf ?? []).some(isNumeric);
};

const shown = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/** Throws a 400 for the first parameter whose raw text the schema must not see. */
export function checkRawParameters(values: unknown, schema: JsonSchema | undefined): void {
  if (!values || typeof values !== 'object') return;
  for (const [field, raw] of Object.entries(values as Record<string, unknown>)) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (typeof value !== 'string') continue;
      if (value.length > LONGEST) throw badRequest(field, `is ${value.length} characters long; at most ${LONGEST} are accepted`);
      if (CONTROL.test(value)) throw badRequest(field, 'contains a control character');
      if (isNumeric(schema?.properties?.[field]) && !PLAIN_DECIMAL.test(value)) {
        throw badRequest(field, `must be a plain decimal number such as 12 or 0.5 (not ${shown(value)})`);
      }
    }
  }
}

export default fp(async (app) => {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const schema = request.routeOptions.schema as { querystring?: JsonSchema; params?: JsonSchema } | undefined;
    checkRawParameters(request.query, schema?.querystring);
    checkRawParameters(request.params, schema?.params);
  });
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const areas = (request.query as { areas?: unknown } | undefined)?.areas;
    if (typeof areas !== 'string' || areas === '') return;
    const codes = [...new Set(areas.split(','))];
    const { rows } = await app.db.query<{ code: string }>('SELECT DISTINCT code FROM areas WHERE code = ANY($1::text[])', [codes]);
    const known = new Set(rows.map((row) => row.code));
    const unknown = codes.filter((code) => !known.has(code));
    if (unknown.length) throw badRequest('areas', `no loaded area has the code ${unknown.slice(0, 3).map(shown).join(', ')}`);
  });
}, { name: 'input-guard', dependencies: ['database'] });
