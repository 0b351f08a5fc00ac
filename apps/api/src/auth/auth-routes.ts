import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import { logIn } from './login';
import { requireSession } from './require-session';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';
import { deleteSession } from './sessions';

export interface AuthDeps {
  db: Kysely<Database>;
  sessionTtlHours: number;
}

const user = z.object({ username: z.string() });
const failure = z.object({ message: z.string() });

/** `POST /auth/login` (public), `POST /auth/logout` and `GET /auth/me`. */
export function authRoutes(deps: AuthDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        schema: {
          body: z.object({
            username: z.string().min(1).max(200),
            password: z.string().min(1).max(1000),
          }),
          response: { 200: user, 401: failure },
        },
      },
      async (request, reply) => {
        const session = await logIn(deps, request.body.username, request.body.password);
        if (!session) return reply.code(401).send({ message: 'wrong user name or password' });
        reply.setCookie(
          SESSION_COOKIE,
          session.token,
          sessionCookieOptions(request, deps.sessionTtlHours),
        );
        return { username: session.username };
      },
    );

    app.register(async (signedIn) => {
      signedIn.addHook('onRequest', requireSession(deps.db));

      signedIn.post('/auth/logout', async (request, reply) => {
        if (request.session) await deleteSession(deps.db, request.session.token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      });

      signedIn.get('/auth/me', { schema: { response: { 200: user } } }, async (request) => ({
        username: request.session?.user.username ?? '',
      }));
    });
  };
}
