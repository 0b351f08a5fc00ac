import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * On every response: a browser must never guess a type other than the one sent, and the
 * request id lets a user's report be matched with the log.
 */
export async function securityHeaders(request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-request-id', request.id);
}
