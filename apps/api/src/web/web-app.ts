import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';

const SERVER_PATHS = /^\/(?:api|internal)(?:\/|$)/;

export interface WebAppOptions {
  /** The built web app; unset or missing: the API alone. */
  webDir: string | undefined;
  /** The methods the API's routes accept on a path, for a 405's `Allow` header. */
  allowedMethods(path: string): string[];
}

/**
 * Serves the built web app from `webDir` at `/`; any other GET outside the API answers
 * with index.html, so the app's own routes survive a reload. Without the directory the API
 * runs alone. Unknown API paths answer 404 JSON either way, known ones asked with another
 * method 405.
 */
export async function registerWebApp(
  app: FastifyInstance,
  { webDir, allowedMethods }: WebAppOptions,
) {
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
    const server = SERVER_PATHS.test(path);
    const allowed = server ? allowedMethods(path) : [];
    if (served && page && !server) {
      reply.header('cache-control', 'no-cache').sendFile('index.html');
    } else if (allowed.length > 0) {
      reply.code(405).header('allow', allowed.join(', ')).send({ message: 'method not allowed' });
    } else {
      reply.code(404).send({ message: 'not found' });
    }
  });
}
