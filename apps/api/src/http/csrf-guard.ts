import type { FastifyReply, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAME_SITE_FETCHES = new Set(['same-origin', 'none']);

/**
 * Refuses a state-changing request that a browser sent from another site with this
 * site's cookie. Browsers say where a request comes from (`Origin`, `Sec-Fetch-Site`);
 * a client that sends neither is not a browser and carries no ambient cookie.
 */
export async function csrfGuard(request: FastifyRequest, reply: FastifyReply) {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
    return reply.code(403).send({ message: 'cross-origin request refused' });
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && !SAME_SITE_FETCHES.has(String(site))) {
    return reply.code(403).send({ message: 'cross-site request refused' });
  }
}
