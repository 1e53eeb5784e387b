import { LoginBody, SignedInUser } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DUMMY_HASH, verifyPassword } from '../../auth/passwords.js';
import { HttpError, MESSAGES } from '../../errors.js';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../../plugins/access.js';

export interface AuthRouteOptions {
  idleMinutes: number;
  absoluteHours: number;
  attemptsPerMinute: number;
  lockoutFailures: number;
  lockoutMinutes: number;
}

const auth: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (app, options) => {
  app.post('/api/auth/login', {
    config: {
      access: 'public',
      rateLimit: { max: options.attemptsPerMinute, timeWindow: '1 minute' },
    },
    schema: {
      summary: 'Sign in: sets an HttpOnly session cookie and returns the user with a CSRF token',
      tags: ['auth'],
      body: LoginBody,
      response: { 200: SignedInUser },
    },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const user = await app.users.byUsername(username);
    const audit = (action: string, userId: number | null) => app.audit.write({
      userId, username, role: user?.role ?? null, action, method: 'POST', path: '/api/auth/login',
      filters: {}, rowsReturned: null, status: action === 'sign-in' ? 200 : 401, address: request.ip,
    });
    // OWASP ASVS v4 2.2: one answer, in the same time, for an unknown name, a wrong
    // password, a disabled account and a held one; failures are held per account and
    // address (repositories/users.ts), so a stranger cannot shut the owner out.
    const held = await app.users.signInHeld(username, request.ip);
    const passwordRight = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || user.disabled || held || !passwordRight) {
      if (!held) await app.users.recordFailure(username, request.ip, options.lockoutFailures, options.lockoutMinutes);
      await audit(held ? 'sign-in refused: held' : 'sign-in failed', user?.id ?? null);
      throw new HttpError(401, MESSAGES.signInFailed);
    }
    await app.users.recordSuccess(user.id, username, request.ip);
    const session = await app.users.createSession(user.id, {
      idleMinutes: options.idleMinutes,
      absoluteHours: options.absoluteHours,
      address: request.ip,
      userAgent: request.headers['user-agent'],
    });
    await audit('sign-in', user.id);
    setSessionCookie(reply, request, session.token, options.absoluteHours * 3600);
    return {
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
    };
  });

  app.post('/api/auth/logout', {
    config: { access: 'signed-in' },
    schema: { summary: 'Sign out: revokes the session on the server', tags: ['auth'] },
  }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await app.users.revokeSession(token);
    clearSessionCookie(reply, request);
    return reply.code(204).send();
  });

  app.get('/api/auth/me', {
    config: { access: 'signed-in' },
    schema: { summary: 'The signed-in user, role and CSRF token', tags: ['auth'], response: { 200: SignedInUser } },
  }, async (request) => {
    const viewer = request.viewer!;
    return {
      username: viewer.user.username,
      displayName: viewer.user.displayName,
      role: viewer.user.role,
      csrfToken: viewer.csrfToken,
      expiresAt: viewer.expiresAt.toISOString(),
    };
  });
};
export default auth;
