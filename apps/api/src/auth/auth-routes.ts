import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import { logIn } from './login';
import { loginAttemptStore } from './login-attempt-store';
import { countLoginAttempt, giveBackLoginAttempt } from './login-attempts';
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
    // Only the routes that ask for it are limited, counted in the database for all instances.
    await app.register(fastifyRateLimit, { global: false, store: loginAttemptStore(deps.db) });

    app.post(
      '/auth/login',
      {
        config: {
          // Checked on request, before the body is parsed. `request.ip` follows TRUST_PROXY;
          // normalized as the plugin's default key is (an IPv6 client counts by its /64).
          rateLimit: {
            max: perIp,
            timeWindow: windowMs,
            keyGenerator: (request) => `ip:${normalizeIP(request.ip)}`,
          },
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
        // Counted before the password is checked, so that concurrent attempts cannot all
        // pass a limit that only counts afterwards; a success gives its count back.
        const attempt = await countLoginAttempt(deps.db, `user:${username}`, windowMs);
        if (attempt.count > failuresPerUser) {
          const retryAfter = Math.ceil(attempt.retryAfterMs / 1000);
          return reply
            .code(429)
            .header('retry-after', retryAfter)
            .send({ message: `too many failed logins, retry in ${retryAfter} s` });
        }
        const session = await logIn({ ...deps, decoyHash }, username, password);
        if (!session) return reply.code(401).send({ message: 'wrong user name or password' });
        await giveBackLoginAttempt(deps.db, attempt);
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
