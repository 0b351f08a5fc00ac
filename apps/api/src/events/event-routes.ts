import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { ServerResponse } from 'node:http';
import type { Database } from '../db/schema';
import { formatChange, type ChangeHub, type SentChange } from '../feed/change-hub';
import { readChanges, readPosition } from '../feed/read-changes';

export interface EventRoutesDeps {
  db: Kysely<Database>;
  hub: ChangeHub;
  /** How often a comment keeps idle proxies from closing the stream. */
  pingIntervalMs?: number;
}

const PING_INTERVAL_MS = 15_000;
const RETRY_MS = 1_000;
const REPLAY_BATCH = 500;
/**
 * A client that reads slower than changes come is let go once this much waits for it: it
 * reconnects with its Last-Event-ID and replays from the feed, instead of the server holding
 * an ever longer queue.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * `GET /events`: the gallery's changes as Server-Sent Events, read from the change feed. An
 * event's id is its change's number. A client that sends `Last-Event-ID` (EventSource does
 * when it reconnects; `?lastEventId=` does the same for a new EventSource) gets every later
 * change, then live ones, none twice; for a number the feed no longer holds, or one it never
 * held, it gets one `reset` event and should load its list again. Streams end when the
 * server closes, so that closing never waits on a browser, and when their session ends.
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

      const ping = setInterval(
        () => response.write(': ping\n\n'),
        deps.pingIntervalMs ?? PING_INTERVAL_MS,
      );
      const end = () => {
        if (!openStreams.delete(end)) return;
        clearInterval(ping);
        stream.stop();
        response.end();
        request.log.debug('event stream closed');
      };
      // requireSession ran first: every stream belongs to a session.
      const sessionId = request.session?.id ?? '';
      const stream = followFeed(deps, response, end, sessionId);
      openStreams.add(end);
      response.on('close', end);
      stream.start(lastEventId(request)).catch((error: unknown) => {
        request.log.error({ err: error }, 'event stream could not start');
        end();
      });
    });
  };
}

/** The client's last event, from the header EventSource sends or the query. */
function lastEventId(request: FastifyRequest): string | undefined {
  const header = request.headers['last-event-id'];
  const query = (request.query as { lastEventId?: unknown }).lastEventId;
  const value = typeof header === 'string' ? header : typeof query === 'string' ? query : '';
  return value === '' ? undefined : value;
}

/**
 * Writes one stream: the replay from the client's last event, then live changes. Live ones
 * arriving during the replay wait in a queue; each change goes out once, in order, because
 * only numbers above the last one sent are written.
 */
function followFeed(
  deps: EventRoutesDeps,
  response: ServerResponse,
  end: () => void,
  sessionId: string,
) {
  let sent: number | null = null;
  const waiting: SentChange[] = [];
  const write = (text: string) => {
    response.write(text);
    if (response.writableLength > MAX_BUFFERED_BYTES) end();
  };
  const send = (change: SentChange) => {
    // Its session ended (signed out elsewhere, disabled, password reset): at once, and only
    // live; a replay started after its end, when the session was still checked.
    if (change.endsSessions?.has(sessionId)) {
      end();
    } else if (sent === null) {
      waiting.push(change);
    } else if (change.seq > sent) {
      write(change.text);
      sent = change.seq;
    }
  };
  const unsubscribe = deps.hub.subscribe(send);

  return {
    stop: unsubscribe,
    async start(requested: string | undefined) {
      const { last, prunedThrough } = await readPosition(deps.db);
      const from = requested === undefined ? last : knownNumber(requested, prunedThrough, last);
      let at = from ?? last;
      if (from === null) {
        write(`id: ${last}\nevent: reset\ndata: {}\n\n`);
      } else if (requested === undefined) {
        // No event, but EventSource remembers the id: its reconnection replays from here.
        write(`id: ${last}\n\n`);
      } else {
        for (;;) {
          const changes = await readChanges(deps.db, at, REPLAY_BATCH);
          for (const change of changes) write(formatChange(change).text);
          at = changes.at(-1)?.seq ?? at;
          if (changes.length < REPLAY_BATCH || response.writableEnded) break;
        }
      }
      sent = at;
      for (const change of waiting.splice(0)) send(change);
    },
  };
}

/** The number a client sent, if the feed still holds every change after it; else null. */
function knownNumber(text: string, prunedThrough: number, last: number): number | null {
  if (!/^\d{1,15}$/.test(text)) return null;
  const seq = Number(text);
  return seq >= prunedThrough && seq <= last ? seq : null;
}
