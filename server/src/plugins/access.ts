// Who may call what, enforced for every route in one place:
// - every API route declares `config.access`: 'public', 'signed-in' or a list of roles;
//   a route under /api/ or /ogc without one stops the server from starting, and the
//   route x role test enumerates `app.routeRules`;
// - the session comes from the HttpOnly cookie; no session is 401, a role asking for
//   more than it may is 403;
// - state-changing requests need the session's CSRF token in `x-csrf-token`, and are
//   refused from another origin;
// - routes with `config.audit` write an audit row before their answer leaves (no audit
//   row, no data).
import type { UserRole } from '@lantern/shared';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError, MESSAGES } from '../errors.js';
import type { SessionRecord } from '../repositories/users.js';

export type AccessRule = 'public' | 'signed-in' | readonly UserRole[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
    /** Write an audit row for every answer (reads of incident data, exports). */
    audit?: boolean;
  }
  interface FastifyRequest {
    viewer: SessionRecord | null;
    /** An API token given as ?token=, to carry into links in the answer. */
    queryToken: string | null;
    /** Rows or features the handler returned, for the audit log. */
    auditRows?: number;
    /** Justification typed by the user, for exports of points. */
    auditJustification?: string;
  }
  interface FastifyInstance {
    routeRules: RouteRule[];
  }
}

export interface RouteRule {
  method: string;
  url: string;
  access: AccessRule;
  audit: boolean;
}

export const SESSION_COOKIE = 'lantern_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AccessOptions {
  idleMinutes: number;
  absoluteHours: number;
}

const needsRule = (url: string) => (url.startsWith('/api/') && !url.startsWith('/api/docs')) || url.startsWith('/ogc');

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return request.headers['sec-fetch-site'] !== 'cross-site';
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string, maxAgeSeconds: number) {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, request: FastifyRequest) {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/' });
}

export default fp<AccessOptions>(
  async (app: FastifyInstance, options) => {
    await app.register(cookie);
    app.decorateRequest('viewer', null);
    app.decorateRequest('queryToken', null);
    app.decorate('routeRules', [] as RouteRule[]);

    app.addHook('onRoute', (route) => {
      const access = route.config?.access;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (access === undefined && needsRule(route.url)) {
        throw new Error(`route ${methods.join(',')} ${route.url} has no access rule (config.access)`);
      }
      for (const method of methods) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        app.routeRules.push({ method, url: route.url, access: access ?? 'public', audit: route.config?.audit ?? false });
      }
      // The OpenAPI document states each route's roles from the same rule the server enforces.
      if (route.schema && access !== undefined) {
        const who = access === 'public' ? 'anyone' : access === 'signed-in' ? 'any signed-in user' : access.join(', ');
        const audited = route.config?.audit ? ' Every call is written to the audit log.' : '';
        route.schema.description = `${route.schema.description ? `${route.schema.description}\n\n` : ''}Roles: ${who}.${audited}`;
      }
    });

    app.addHook('onRequest', async (request) => {
      const rule = request.routeOptions.config?.access ?? 'public';
      if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) {
        throw new HttpError(403, MESSAGES.crossOrigin);
      }
      const token = request.cookies[SESSION_COOKIE];
      if (token && (rule !== 'public' || request.url.startsWith('/api/auth/'))) {
        request.viewer = await app.users.session(token, options.idleMinutes);
      }
      // Desktop GIS: a personal API token as a bearer header or ?token= (taken out of the
      // query before the route's schema sees it). Read-only.
      const query = request.query as Record<string, unknown> | undefined;
      const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const apiToken = bearer ?? (typeof query?.token === 'string' ? query.token : undefined);
      if (query && 'token' in query) {
        // Kept for links the answer gives (OGC API "next"), so a client that authenticated
        // by URL can follow them.
        if (!bearer && typeof query.token === 'string') request.queryToken = query.token;
        delete query.token;
      }
      if (apiToken && !request.viewer && rule !== 'public') {
        if (!SAFE_METHODS.has(request.method)) throw new HttpError(403, MESSAGES.tokenReadOnly);
        request.viewer = await app.tokens.viewer(apiToken);
        if (!request.viewer) throw new HttpError(401, MESSAGES.badToken);
      }
      if (rule === 'public') return;
      const viewer = request.viewer;
      if (!viewer) throw new HttpError(401, MESSAGES.signInRequired);
      if (rule !== 'signed-in' && !rule.includes(viewer.user.role)) {
        throw new HttpError(403, MESSAGES.roleForbidden(viewer.user.role));
      }
      if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== viewer.csrfToken) {
        throw new HttpError(403, MESSAGES.csrf);
      }
    });

    app.addHook('onSend', async (request, reply, payload) => {
      // Answers with data, and refusals (someone tried), are logged; other errors are not reads.
      const status = reply.statusCode;
      if (!request.routeOptions.config?.audit || (status >= 300 && status !== 401 && status !== 403)) return payload;
      const viewer = request.viewer;
      await app.audit.write({
        userId: viewer?.user.id ?? null,
        username: viewer?.user.username ?? null,
        role: viewer?.user.role ?? null,
        action: `${request.method} ${request.routeOptions.url ?? request.url}`,
        method: request.method,
        path: request.url,
        filters: { ...(request.query as Record<string, unknown>), ...(request.params as Record<string, unknown>) },
        rowsReturned: request.auditRows ?? null,
        status: reply.statusCode,
        justification: request.auditJustification ?? null,
        address: request.ip,
      });
      return payload;
    });
  },
  { name: 'access', dependencies: ['users-repository', 'tokens-repository', 'audit-repository'] },
);
