import { ApiTokenCreated, ApiTokenList, ApiTokenParams, ApiTokenRequest } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../../errors.js';

// Personal API tokens: each user makes, lists and revokes their own.
export interface TokenRoutesOptions {
  /** The longest a token may live, and how long it lives when its owner does not say. */
  maxDays: number;
}

const tokens: FastifyPluginAsyncTypebox<TokenRoutesOptions> = async (app, options) => {
  app.get('/api/tokens', {
    config: { access: 'signed-in' },
    schema: { summary: 'Your API tokens (not the tokens themselves)', tags: ['auth'], response: { 200: ApiTokenList } },
  }, async (request) => ({ tokens: await app.tokens.list(Number(request.viewer!.user.id)) }));

  app.post('/api/tokens', {
    config: { access: 'signed-in', audit: true },
    schema: {
      summary: 'Make an API token for desktop GIS (read-only; shown once; expires after API_TOKEN_DAYS, 90 by default)',
      tags: ['auth'], body: ApiTokenRequest, response: { 201: ApiTokenCreated },
    },
  }, async (request, reply) => reply.code(201).send(await app.tokens.create(
    Number(request.viewer!.user.id), request.body.name, Math.min(request.body.days ?? options.maxDays, options.maxDays))));

  app.delete('/api/tokens/:id', {
    config: { access: 'signed-in', audit: true },
    schema: { summary: 'Revoke one of your API tokens', tags: ['auth'], params: ApiTokenParams },
  }, async (request, reply) => {
    if (!(await app.tokens.revoke(Number(request.viewer!.user.id), request.params.id))) {
      throw new HttpError(404, `id: you have no live API token ${request.params.id}`, 'id');
    }
    return reply.code(204).send();
  });
};
export default tokens;
