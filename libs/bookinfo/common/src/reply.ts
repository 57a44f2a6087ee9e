import type { FastifyReply } from 'fastify';

/**
 * Sends `text` with exactly the given Content-Type (Fastify would append `; charset=utf-8` to
 * string payloads; upstream services send bare `application/json`).
 */
export function sendExact(reply: FastifyReply, status: number, contentType: string, text: string): FastifyReply {
  return reply.code(status).header('content-type', contentType).send(Buffer.from(text, 'utf8'));
}
