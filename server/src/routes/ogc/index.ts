// OGC API - Features Part 1 (Core, GeoJSON, OpenAPI 3.0) at /ogc, so QGIS, ArcGIS and
// GDAL open Lantern's layers directly. Collections follow the role rules
// (ogc/collections.ts); sign in with the session cookie or a personal API token
// (Authorization: Bearer, or ?token= which the links carry on).
import { FilterQueryProperties, type UserRole } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { HttpError, MESSAGES } from '../../errors.js';
import { COLLECTIONS, type Bbox, type Collection, type TimeRange } from '../../ogc/collections.js';
import { filtersOrThrow, pickFilterQuery } from '../parse-filters.js';

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];
const F = Type.Optional(Type.Enum(['json', 'geojson'], { description: 'response format: JSON (GeoJSON for features) only' }));

const ItemsQuery = Type.Object({
  ...FilterQueryProperties,
  bbox: Type.Optional(Type.String({ pattern: '^-?[\\d.]+,-?[\\d.]+,-?[\\d.]+,-?[\\d.]+$', description: 'minLon,minLat,maxLon,maxLat (CRS84)' })),
  datetime: Type.Optional(Type.String({ maxLength: 100, description: 'an instant or an interval a/b, open ends ".." (RFC 3339 dates or date-times)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 10, description: 'features per page (default 10, at most 10000)' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'features to skip (the next link sets it)' })),
  f: F,
}, { additionalProperties: false });
const CollectionParams = Type.Object({ collectionId: Type.String({ maxLength: 60 }) });
const ItemParams = Type.Object({ collectionId: Type.String({ maxLength: 60 }), featureId: Type.String({ maxLength: 80 }) });

function parseBbox(text: string | undefined): Bbox | null {
  if (!text) return null;
  const [w, s, e, n] = text.split(',').map(Number) as Bbox;
  if ([w, s, e, n].some((v) => !Number.isFinite(v)) || w < -180 || e > 180 || s < -90 || n > 90 || w > e || s > n) {
    throw new HttpError(400, 'bbox: four numbers minLon,minLat,maxLon,maxLat with min <= max, in degrees', 'bbox');
  }
  return [w, s, e, n];
}

/** An instant, or a/b with ".." or "" for an open end; a date means that whole UTC day. */
export function parseDatetime(text: string | undefined): TimeRange | null {
  if (!text) return null;
  const bad = () => new HttpError(400, 'datetime: an RFC 3339 date or date-time, or an interval a/b with ".." for an open end', 'datetime');
  const instant = (part: string, end: boolean): string | null => {
    if (part === '..' || part === '') return null;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(part);
    if (!dateOnly && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(part)) throw bad();
    // The calendar must hold the date and the clock the time: Date.parse reads 2025-02-30 as 2 March.
    const [year, month, day] = part.slice(0, 10).split('-').map(Number) as [number, number, number];
    if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day || month < 1 || month > 12) throw bad();
    if (!dateOnly && (Number(part.slice(11, 13)) > 23 || Number(part.slice(14, 16)) > 59 || Number(part.slice(17, 19)) > 59)) throw bad();
    const ms = Date.parse(dateOnly ? `${part}T00:00:00Z` : part);
    if (Number.isNaN(ms)) throw bad();
    return new Date(end && dateOnly ? ms + 86_400_000 : ms).toISOString();
  };
  const parts = text.split('/');
  if (parts.length === 1) {
    const from = instant(parts[0]!, false);
    if (!from) throw bad();
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(parts[0]!);
    return { from, to: dateOnly ? instant(parts[0]!, true) : new Date(Date.parse(from) + 1).toISOString() };
  }
  if (parts.length !== 2 || (/^(\.\.)?$/.test(parts[0]!) && /^(\.\.)?$/.test(parts[1]!))) throw bad();
  const range = { from: instant(parts[0]!, false), to: instant(parts[1]!, true) };
  if (range.from && range.to && range.from > range.to) throw bad();
  return range;
}

const ogc: FastifyPluginAsyncTypebox = async (app) => {
  const base = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
  /** A link to a path, carrying the API token when the request came with ?token=. */
  const href = (request: FastifyRequest, path: string, query: Record<string, unknown> = {}) => {
    const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)] as [string, string]));
    if (request.queryToken) search.set('token', request.queryToken);
    const text = search.toString();
    return `${base(request)}${path}${text ? `?${text}` : ''}`;
  };
  const role = (request: FastifyRequest) => request.viewer!.user.role as UserRole;
  const readable = (request: FastifyRequest) => COLLECTIONS.filter((c) => c.roles.includes(role(request)));
  const collectionFor = (request: FastifyRequest, id: string): Collection => {
    const collection = COLLECTIONS.find((c) => c.id === id);
    if (!collection) throw new HttpError(404, `collectionId: there is no collection "${id}"`, 'collectionId');
    if (!collection.roles.includes(role(request))) throw new HttpError(403, MESSAGES.roleForbidden(role(request)));
    return collection;
  };
  const describe = async (request: FastifyRequest, collection: Collection) => {
    const extent = await collection.extent(app);
    return {
      id: collection.id, title: collection.title, description: collection.description, itemType: 'feature', crs: [CRS84],
      extent: {
        spatial: { bbox: [extent.bbox ?? [-180, -90, 180, 90]], crs: CRS84 },
        ...(extent.interval ? { temporal: { interval: [extent.interval], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
      },
      links: [
        { href: href(request, `/ogc/collections/${collection.id}`), rel: 'self', type: 'application/json', title: 'This collection' },
        { href: href(request, `/ogc/collections/${collection.id}/items`), rel: 'items', type: 'application/geo+json', title: 'Its features' },
      ],
    };
  };
  const json = (reply: FastifyReply) => reply.type('application/json').header('cache-control', 'private, no-cache');

  app.get('/ogc', {
    config: { access: 'public' },
    schema: { summary: 'OGC API - Features landing page', tags: ['ogc'], querystring: Type.Object({ f: F }, { additionalProperties: false }) },
  }, async (request, reply) => json(reply).send({
    title: 'Lantern', description: 'Hotspots for contextual safeguarding and serious violence: the layers your role may read, as OGC API - Features.',
    links: [
      { href: href(request, '/ogc'), rel: 'self', type: 'application/json', title: 'This document' },
      { href: href(request, '/api/openapi.json'), rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'The API definition' },
      { href: `${base(request)}/api/docs`, rel: 'service-doc', type: 'text/html', title: 'The API documentation' },
      { href: href(request, '/ogc/conformance'), rel: 'conformance', type: 'application/json', title: 'Conformance classes' },
      { href: href(request, '/ogc/collections'), rel: 'data', type: 'application/json', title: 'The collections' },
    ],
  }));

  app.get('/ogc/conformance', {
    config: { access: 'public' },
    schema: { summary: 'OGC API - Features conformance classes', tags: ['ogc'], querystring: Type.Object({ f: F }, { additionalProperties: false }) },
  }, async (_request, reply) => json(reply).send({ conformsTo: CONFORMANCE }));

  app.get('/ogc/collections', {
    config: { access: 'signed-in' },
    schema: { summary: 'The collections the signed-in role may read', tags: ['ogc'], querystring: Type.Object({ f: F }, { additionalProperties: false }) },
  }, async (request, reply) => json(reply).send({
    links: [{ href: href(request, '/ogc/collections'), rel: 'self', type: 'application/json', title: 'This document' }],
    collections: await Promise.all(readable(request).map((c) => describe(request, c))),
  }));

  app.get('/ogc/collections/:collectionId', {
    config: { access: 'signed-in' },
    schema: { summary: 'One collection: extent (CRS84, and time for incidents) and links', tags: ['ogc'], params: CollectionParams, querystring: Type.Object({ f: F }, { additionalProperties: false }) },
  }, async (request, reply) => json(reply).send(await describe(request, collectionFor(request, request.params.collectionId))));

  app.get('/ogc/collections/:collectionId/items', {
    config: { access: 'signed-in', audit: true },
    schema: { summary: 'Features of a collection, paged, with bbox, datetime and the shared filters', tags: ['ogc'], params: CollectionParams, querystring: ItemsQuery },
  }, async (request, reply) => {
    const collection = collectionFor(request, request.params.collectionId);
    const query = request.query;
    const limit = query.limit ?? 10;
    const offset = query.offset ?? 0;
    const filters = filtersOrThrow(pickFilterQuery(query));
    const { features, numberMatched } = await collection.items(app, {
      filters, bbox: parseBbox(query.bbox), datetime: collection.temporal ? parseDatetime(query.datetime) : (parseDatetime(query.datetime), null),
      limit, offset, role: role(request),
    });
    request.auditRows = features.length;
    const { offset: _offset, f: _f, ...rest } = query;
    const path = `/ogc/collections/${collection.id}/items`;
    const links = [
      { href: href(request, path, { ...rest, limit, offset }), rel: 'self', type: 'application/geo+json', title: 'This page' },
      { href: href(request, `/ogc/collections/${collection.id}`), rel: 'collection', type: 'application/json', title: 'The collection' },
    ];
    const more = numberMatched >= 0 ? offset + features.length < numberMatched : features.length === limit;
    if (more && features.length > 0) links.push({ href: href(request, path, { ...rest, limit, offset: offset + limit }), rel: 'next', type: 'application/geo+json', title: 'Next page' });
    return reply.type('application/geo+json').header('cache-control', 'private, no-cache').send({
      type: 'FeatureCollection', timeStamp: new Date().toISOString(),
      ...(numberMatched >= 0 ? { numberMatched } : {}), numberReturned: features.length, features, links,
    });
  });

  app.get('/ogc/collections/:collectionId/items/:featureId', {
    config: { access: 'signed-in', audit: true },
    schema: { summary: 'One feature of a collection', tags: ['ogc'], params: ItemParams, querystring: Type.Object({ f: F }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const collection = collectionFor(request, request.params.collectionId);
    const feature = await collection.item(app, request.params.featureId, role(request));
    if (!feature) throw new HttpError(404, `featureId: there is no feature "${request.params.featureId}" in ${collection.id}`, 'featureId');
    request.auditRows = 1;
    return reply.type('application/geo+json').header('cache-control', 'private, no-cache').send({
      ...feature,
      links: [
        { href: href(request, `/ogc/collections/${collection.id}/items/${encodeURIComponent(String(feature.id))}`), rel: 'self', type: 'application/geo+json' },
        { href: href(request, `/ogc/collections/${collection.id}`), rel: 'collection', type: 'application/json' },
      ],
    });
  });
};
export default ogc;
