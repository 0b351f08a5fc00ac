import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import { logIn } from './login';
import { createLoginFailures } from './login-failures';
import type { LoginLimits } from './login-limits';
import { createDecoyHash, type PasswordVerifier } from './passwords';
import { requireSession } from './require-session';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';
import { deleteSession } from './sessions';

export interface AuthDeps {
  db: Kysely<Database>;
  sessionTtlHours: number;
  loginLimits: LoginLimits;
  verifyPassword: PasswordVerifier;
}

const user = z.object({ username: z.string() });
const failure = z.object({ message: z.string() });

/** `POST /auth/login` (public, rate-limited), `POST /auth/logout` and `GET /auth/me`. */
export function authRoutes(deps: AuthDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { perIp, failuresPerUser, windowMs } = deps.loginLimits;
    // Once, at start: a login must not pay for it, or an unknown user would answer slower.
    const decoyHash = await createDecoyHash();
    const failures = createLoginFailures({ max: failuresPerUser, windowMs });
    // Only the routes that ask for it are limited; `request.ip` follows TRUST_PROXY.
    await app.register(fastifyRateLimit, { global: false });

    app.post(
      '/auth/login',
      {
        config: {
          rateLimit: { max: perIp, timeWindow: windowMs, keyGenerator: (request) => request.ip },
        },
        schema: {
          body: z.object({
            username: z.string().min(1).max(200),
            password: z.string().min(1).max(1000),
          }),
          response: { 200: user, 401: failure, 429: failure },
        },
      },
      async (request, reply) => {
        const { username, password } = request.body;
        const retryAfter = failures.retryAfterSeconds(username);
        if (retryAfter > 0) {
          return reply
            .code(429)
            .header('retry-after', retryAfter)
            .send({ message: `too many failed logins, retry in ${retryAfter} s` });
        }
        const session = await logIn({ ...deps, decoyHash }, username, password);
        if (!session) {
          failures.recordFailure(username);
          return reply.code(401).send({ message: 'wrong user name or password' });
        }
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
