import { NewUser, UserParams, UserState, UserSummary, UserWithPassword } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { generatePassword, hashPassword } from '../../auth/passwords.js';
import { HttpError } from '../../errors.js';

// Users, managed by administrators in the app as with `npm run user`: a new or reset
// password is made by Lantern and shown once; disabling or resetting ends the sessions.
const users: FastifyPluginAsyncTypebox = async (app) => {
  const summaryOf = async (username: string) => {
    const found = (await app.users.list()).find((user) => user.username === username);
    if (!found) throw new HttpError(404, 'no user has this name', 'username');
    return found;
  };

  app.get('/api/users', {
    config: { access: ['admin'] },
    schema: {
      summary: 'Users and their roles (admin)',
      tags: ['admin'],
      response: { 200: Type.Object({ users: Type.Array(UserSummary) }) },
    },
  }, async () => ({ users: await app.users.list() }));

  app.post('/api/users', {
    config: { access: ['admin'], audit: true },
    schema: {
      summary: 'Add a user (admin): the answer holds their password, shown this once',
      tags: ['admin'],
      body: NewUser,
      response: { 201: UserWithPassword },
    },
  }, async (request, reply) => {
    const { username, displayName, role } = request.body;
    if (await app.users.byUsername(username)) throw new HttpError(409, 'a user already has this name', 'username');
    const password = generatePassword();
    await app.users.create({ username, displayName: displayName ?? username, role, passwordHash: await hashPassword(password) });
    reply.code(201).header('cache-control', 'no-store');
    return { user: await summaryOf(username), password };
  });

  app.post('/api/users/:username/password', {
    config: { access: ['admin'], audit: true },
    schema: {
      summary: 'Reset a user\'s password (admin): a new one, shown this once; their sessions end',
      tags: ['admin'],
      params: UserParams,
      response: { 200: UserWithPassword },
    },
  }, async (request, reply) => {
    const password = generatePassword();
    if (!(await app.users.setPassword(request.params.username, await hashPassword(password)))) {
      throw new HttpError(404, 'no user has this name', 'username');
    }
    reply.header('cache-control', 'no-store');
    return { user: await summaryOf(request.params.username), password };
  });

  app.put('/api/users/:username/state', {
    config: { access: ['admin'], audit: true },
    schema: {
      summary: 'Disable or enable a user (admin); disabling ends their sessions',
      tags: ['admin'],
      params: UserParams,
      body: UserState,
      response: { 200: Type.Object({ user: UserSummary }) },
    },
  }, async (request) => {
    if (request.params.username === request.viewer!.user.username && request.body.disabled) {
      throw new HttpError(400, 'you cannot disable yourself', 'username');
    }
    if (!(await app.users.setDisabled(request.params.username, request.body.disabled))) {
      throw new HttpError(404, 'no user has this name', 'username');
    }
    return { user: await summaryOf(request.params.username) };
  });
};
export default users;
