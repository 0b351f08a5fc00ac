import type { FastifyPluginAsync } from 'fastify';
import type { EventBus } from './bus';

export interface EventRoutesDeps {
  bus: EventBus;
  /** How often a comment keeps idle proxies from closing the stream. */
  pingIntervalMs?: number;
}

const PING_INTERVAL_MS = 15_000;
const RETRY_MS = 1_000;

/**
 * `GET /events`: the gallery's changes as Server-Sent Events, one numbered event per
 * change. Each stream unsubscribes when its client goes away, and all of them end when the
 * server closes, so that closing never waits on a browser.
 */
export function eventRoutes(deps: EventRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    const openStreams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of openStreams) end();
    });

    app.get('/events', (request, reply) => {
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
        // Proxies such as nginx would otherwise hold events back in a buffer.
        'x-accel-buffering': 'no',
      });
      response.write(`retry: ${RETRY_MS}\n\n`);

      let counter = 0;
      const unsubscribe = deps.bus.subscribe(({ type, data }) => {
        counter += 1;
        response.write(`id: ${counter}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
      });
      const ping = setInterval(
        () => response.write(': ping\n\n'),
        deps.pingIntervalMs ?? PING_INTERVAL_MS,
      );
      const end = () => {
        if (!openStreams.delete(end)) return;
        clearInterval(ping);
        unsubscribe();
        response.end();
        request.log.debug('event stream closed');
      };
      openStreams.add(end);
      response.on('close', end);
    });
  };
}
