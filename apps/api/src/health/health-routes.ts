import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Readiness } from './readiness';

export interface HealthRoutesDeps {
  /** Unset: no `/ready` (an app built for tests of other routes). */
  readiness?: Readiness;
}

const alive = z.object({ status: z.literal('ok') });
const readinessReport = z.object({
  status: z.enum(['ready', 'not ready']),
  checks: z.record(z.string(), z.string()),
});

// Every load balancer node probes every few seconds: logged, they would drown the log.
const unlogged = { logLevel: 'warn' } as const;

/**
 * `GET /health` (the process answers) and `GET /ready` (it can serve: 503 names the failing
 * checks), for a load balancer: no session, no CSRF token, never cached.
 */
export function healthRoutes({ readiness }: HealthRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // A cached answer would hide a change of state from the next probe.
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.get('/health', { ...unlogged, schema: { response: { 200: alive } } }, async () => ({
      status: 'ok' as const,
    }));

    if (!readiness) return;
    app.get(
      '/ready',
      { ...unlogged, schema: { response: { 200: readinessReport, 503: readinessReport } } },
      async (_request, reply) => {
        const report = await readiness.report();
        return reply.code(report.status === 'ready' ? 200 : 503).send(report);
      },
    );
  };
}
