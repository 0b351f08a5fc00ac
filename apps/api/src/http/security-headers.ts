import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The web app runs no inline script or style; thumbhash placeholders are `data:` URLs
 * and previews may be `blob:` ones. Nothing may frame it, and it posts only to itself.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

/**
 * Helmet's headers on every response (event streams included: it sets them on the raw
 * response before the stream takes over), with the strict policy above in place of its
 * defaults. A route may still send its own stricter policy (originals: `sandbox`). The
 * request id lets a user's report be matched with the log.
 */
export async function registerSecurityHeaders(app: FastifyInstance) {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // Images are same-origin, but a cross-origin-isolated page would refuse any later CDN.
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}
