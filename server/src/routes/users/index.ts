import { UserSummary } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const users: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/users', {
    config: { access: ['admin'] },
    schema: {
      summary: 'Users and their roles (admin); manage them with `npm run user`',
      tags: ['admin'],
      response: { 200: Type.Object({ users: Type.Array(UserSummary) }) },
    },
  }, async () => ({ users: await app.users.list() }));
};
export default users;
