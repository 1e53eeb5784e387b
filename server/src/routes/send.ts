import type { FastifyReply } from 'fastify';

/** An answer already serialised (results-cache.ts rememberJson, or a worker thread's UTF-8 bytes), sent as it is. */
export const sendSerialised = (reply: FastifyReply, json: string | Uint8Array) =>
  reply.header('cache-control', 'private, no-cache').type('application/json; charset=utf-8')
    .send((typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.byteLength)) as never);
