import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import type { ProcessorName } from '@gallery/processors';
import type { DeadLetters } from '@gallery/messaging';
import type { ObjectStore } from '@gallery/storage';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { failureRoutes } from './admin/failure-routes';
import { albumRoutes } from './albums/album-routes';
import { reprocessRoutes } from './admin/reprocess-routes';
import { authRoutes } from './auth/auth-routes';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './auth/login-limits';
import { verifyPassword, type PasswordVerifier } from './auth/passwords';
import { requireAdmin, requireSession } from './auth/require-session';
import type { Database } from './db/schema';
import { eventRoutes } from './events/event-routes';
import type { ChangeHub } from './feed/change-hub';
import { healthRoutes } from './health/health-routes';
import type { Readiness } from './health/readiness';
import { createRouteIndex } from './http/allowed-methods';
import { csrfGuard } from './http/csrf-guard';
import { handleError } from './http/error-handler';
import { registerSecurityHeaders } from './http/security-headers';
import { imageRoutes } from './images/image-routes';
import { peopleRoutes } from './people/people-routes';
import { callbackRoutes } from './internal/callback-routes';
import { registerWebApp } from './web/web-app';

/** What the app is built from; `compose.ts` makes the real ones, tests make their own. */
export interface AppDeps {
  db: Kysely<Database>;
  store: ObjectStore;
  /** This instance's reader of the change feed, which the event streams follow. */
  hub: ChangeHub;
  /** Wakes the outbox relay after an upload. */
  nudgeOutbox(): void;
  /** Per processor: the callback secrets accepted, current first, then the previous one. */
  callbackSecrets: Record<ProcessorName, readonly string[]>;
  maxUploadBytes: number;
  /** The dead letters, local or SQS; unset on AWS without DEAD_LETTER_QUEUES (the routes answer 501). */
  deadLetters?: DeadLetters;
  sessionTtlHours: number;
  /** The built web app; unset or missing: the API alone. */
  webDir?: string;
  /** How often an idle event stream is pinged. */
  eventPingIntervalMs?: number;
  /** Login attempts allowed per address and failures per user name; defaults when unset. */
  loginLimits?: LoginLimits;
  /** Checks a password against its hash; argon2 unless a test counts the calls. */
  verifyPassword?: PasswordVerifier;
  /** What `/api/ready` answers, and the switch that drains this instance; unset: no `/api/ready`. */
  readiness?: Readiness;
}

export const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * A stalled or trickling upload must not hold its connection and half-written object
 * forever: the whole request, body included, has two minutes (a 50 MB upload needs about
 * 3.5 Mbit/s), and a connection silent for a minute is dropped. Event streams stay open:
 * their pings come more often. Idle keep-alive connections outlive a load balancer's
 * usual 60 s, so that it, not the server, closes them.
 */
export const SERVER_TIMEOUTS = {
  requestTimeout: 120_000,
  connectionTimeout: 60_000,
  keepAliveTimeout: 72_000,
} as const;

/** Options of the Fastify instance the app is registered on. */
export function serverOptions(
  logger: FastifyServerOptions['loggerInstance'],
  { trustProxy = false }: { trustProxy?: boolean } = {},
): FastifyServerOptions {
  return {
    loggerInstance: logger,
    genReqId: () => randomUUID(),
    bodyLimit: JSON_BODY_LIMIT,
    ...SERVER_TIMEOUTS,
    // Only behind a proxy (CloudFront, a load balancer) may X-Forwarded-* be believed: it
    // then says whether the browser used https, for the cookie's Secure flag and CSRF check.
    trustProxy,
  };
}

/** The whole API as one plugin on the root instance. It never listens: `main.ts` does. */
async function galleryApp(app: FastifyInstance, deps: AppDeps) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.decorateRequest('session', null);
  const routes = createRouteIndex();
  app.addHook('onRoute', routes.record);

  await registerSecurityHeaders(app);
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart);

  // For the load balancer: outside the CSRF guard and the session hook.
  await app.register(healthRoutes({ readiness: deps.readiness }), { prefix: '/api' });
  await app.register(
    async (api) => {
      api.addHook('onRequest', csrfGuard);
      await api.register(
        authRoutes({
          db: deps.db,
          sessionTtlHours: deps.sessionTtlHours,
          loginLimits: deps.loginLimits ?? DEFAULT_LOGIN_LIMITS,
          verifyPassword: deps.verifyPassword ?? verifyPassword,
        }),
      );
      await api.register(async (signedIn) => {
        signedIn.addHook('onRequest', requireSession(deps.db));
        await signedIn.register(imageRoutes(deps));
        await signedIn.register(albumRoutes(deps));
        await signedIn.register(
          eventRoutes({ db: deps.db, hub: deps.hub, pingIntervalMs: deps.eventPingIntervalMs }),
        );
        await signedIn.register(async (admins) => {
          admins.addHook('onRequest', requireAdmin);
          await admins.register(failureRoutes({ deadLetters: deps.deadLetters }));
          await admins.register(reprocessRoutes(deps));
        });
        await signedIn.register(peopleRoutes(deps));
      });
    },
    { prefix: '/api' },
  );
  await app.register(callbackRoutes(deps), { prefix: '/internal' });
  await registerWebApp(app, { webDir: deps.webDir, allowedMethods: routes.allowedMethods });
}

// Registered without encapsulation: its error handler and compilers apply to the root.
Object.assign(galleryApp, { [Symbol.for('skip-override')]: true });

export default galleryApp;
