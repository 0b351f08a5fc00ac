import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { sessionView, userView } from '@gallery/message-schema';
import type { Database } from '../db/schema';
import { logIn } from './login';
import { loginAttemptStore } from './login-attempt-store';
import { countLoginAttempt, giveBackLoginAttempt } from './login-attempts';
import type { LoginLimits } from './login-limits';
import { createDecoyHash, type PasswordVerifier } from './passwords';
import { acceptInvitation } from '../people/invitations';
import { changeOwnPassword, password, username } from '../people/people';
import { NotFoundError, requireUuid } from '../http/request-errors';
import { requireSession, sessionOf } from './require-session';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';
import { createSession, endSessions, listSessions } from './sessions';

export interface AuthDeps {
  db: Kysely<Database>;
  sessionTtlHours: number;
  loginLimits: LoginLimits;
  verifyPassword: PasswordVerifier;
}

const failure = z.object({ message: z.string() });

/**
 * Signing in and out, joining by invitation (both public and rate-limited), and what each
 * person does with their own account: who am I, my password, my sessions.
 */
export function authRoutes(deps: AuthDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { perIp, failuresPerUser, windowMs } = deps.loginLimits;
    // Once, at start: a login must not pay for it, or an unknown user would answer slower.
    const decoyHash = await createDecoyHash();
    // Only the routes that ask for it are limited, counted in the database for all instances.
    await app.register(fastifyRateLimit, { global: false, store: loginAttemptStore(deps.db) });

    // Checked on request, before the body is parsed. `request.ip` follows TRUST_PROXY;
    // normalized as the plugin's default key is (an IPv6 client counts by its /64).
    const perAddress = {
      rateLimit: {
        max: perIp,
        timeWindow: windowMs,
        keyGenerator: (request: { ip: string }) => `ip:${normalizeIP(request.ip)}`,
      },
    };
    const signIn = async (request: FastifyRequest, reply: FastifyReply, userId: string) => {
      const token = await createSession(
        deps.db,
        userId,
        deps.sessionTtlHours,
        request.headers['user-agent'] ?? null,
      );
      reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(request, deps.sessionTtlHours));
    };

    app.post(
      '/auth/login',
      {
        config: perAddress,
        schema: {
          body: z.object({
            username: z.string().min(1).max(200),
            password: z.string().min(1).max(1000),
          }),
          response: { 200: userView, 401: failure, 403: failure, 429: failure },
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
        const found = await logIn({ ...deps, decoyHash }, username, password);
        if (!found) return reply.code(401).send({ message: 'wrong user name or password' });
        await giveBackLoginAttempt(deps.db, attempt);
        // Said only to whoever knows the password.
        if (found.disabled) return reply.code(403).send({ message: 'this account is disabled' });
        await signIn(request, reply, found.user.id);
        return found.user;
      },
    );

    app.post(
      '/auth/join',
      {
        config: perAddress,
        schema: {
          body: z.strictObject({ token: z.string().min(1).max(200), username, password }),
          response: { 201: userView, 400: failure, 404: failure, 409: failure, 429: failure },
        },
      },
      async (request, reply) => {
        const { token, ...person } = request.body;
        const joined = await acceptInvitation(deps.db, token, person);
        await signIn(request, reply, joined.id);
        return reply.code(201).send(joined);
      },
    );

    app.register(async (instance) => {
      const signedIn = instance.withTypeProvider<ZodTypeProvider>();
      signedIn.addHook('onRequest', requireSession(deps.db));

      signedIn.post('/auth/logout', async (request, reply) => {
        const session = sessionOf(request);
        await deps.db
          .transaction()
          .execute((trx) => endSessions(trx, session.user.id, { only: session.id }));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      });

      signedIn.get(
        '/auth/me',
        { schema: { response: { 200: userView } } },
        async (request) => sessionOf(request).user,
      );

      signedIn.put(
        '/auth/password',
        {
          schema: {
            body: z.strictObject({ current: z.string().min(1).max(1000), next: password }),
          },
        },
        async (request, reply) => {
          const session = sessionOf(request);
          await changeOwnPassword(
            deps.db,
            deps.verifyPassword,
            { id: session.id, userId: session.user.id },
            request.body,
          );
          return reply.code(204).send();
        },
      );

      signedIn.get(
        '/auth/sessions',
        { schema: { response: { 200: z.array(sessionView) } } },
        async (request) => {
          const session = sessionOf(request);
          const sessions = await listSessions(deps.db, session.user.id);
          return sessions.map((each) => ({ ...each, current: each.id === session.id }));
        },
      );

      signedIn.delete(
        '/auth/sessions/:id',
        { schema: { params: z.object({ id: z.string() }) } },
        async (request, reply) => {
          const { id } = request.params;
          const { user } = sessionOf(request);
          const notFound = `no session ${id}`;
          // Only one's own: another's session, like an unknown one, is not found.
          const ended = await deps.db
            .transaction()
            .execute((trx) => endSessions(trx, user.id, { only: requireUuid(id, notFound) }));
          if (ended === 0) throw new NotFoundError(notFound);
          return reply.code(204).send();
        },
      );
    });
  };
}
