import type { FastifyReply } from 'fastify';

/** An answer already serialised by its route's response schema (results-cache.ts rememberJson), sent as it is. */
export const sendSerialised = (reply: FastifyReply, json: string) =>
  reply.header('cache-control', 'private, no-cache').type('application/json; charset=utf-8').send(json as never);
