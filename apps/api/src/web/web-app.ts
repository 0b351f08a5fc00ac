import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';

const SERVER_PATHS = /^\/(?:api|internal)(?:\/|$)/;

/**
 * Serves the built web app from `webDir` at `/`; any other GET outside the API answers
 * with index.html, so the app's own routes survive a reload. Without the directory the API
 * runs alone. Unknown API paths answer 404 JSON either way.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string | undefined) {
  const served = webDir !== undefined && existsSync(webDir);
  if (served) {
    await app.register(fastifyStatic, { root: webDir, wildcard: true });
  } else {
    app.log.info({ webDir }, 'no web app directory: serving the API only');
  }
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    const page = request.method === 'GET' || request.method === 'HEAD';
    // Not returned: the reply is sent either way, and awaiting it would only add a listener.
    if (served && page && !SERVER_PATHS.test(path)) {
      reply.header('cache-control', 'no-cache').sendFile('index.html');
    } else {
      reply.code(404).send({ message: 'not found' });
    }
  });
}
