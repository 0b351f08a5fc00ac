import type { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';

export const LISTENER_NAME = 'gallery-change-listener';

export interface ListenHandlers {
  onNotification(payload: string): void;
  /** After each (re)connection: changes may have been committed while nobody listened. */
  onListening(): void;
  logger: Pick<Logger, 'info' | 'warn'>;
}

/** A channel listened on; `connected` is false while a dropped connection is being replaced. */
export interface Listener {
  connected(): boolean;
  close(): Promise<void>;
}

export interface ListenTimings {
  /** How often the connection is tested: a silently dead one is noticed within this. */
  heartbeatMs?: number;
  /** The first reconnection's delay, doubled after each failure up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * LISTEN on a dedicated connection, not one from the pool (the pool closes idle clients, and
 * a transaction-pooling proxy would hand the session to others). After any drop (the server
 * restarted, the backend was terminated, the heartbeat failed) it reconnects with backoff
 * and says so, so the caller catches up from the feed.
 */
export function listenPostgres(
  connectionString: string,
  channel: string,
  handlers: ListenHandlers,
  { heartbeatMs = 10_000, minBackoffMs = 100, maxBackoffMs = 10_000 }: ListenTimings = {},
): Listener {
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let reconnect: NodeJS.Timeout | undefined;

  const connect = async () => {
    const current = new pg.Client({
      connectionString,
      // Named, so that an operator (or a test) can find it in pg_stat_activity.
      application_name: LISTENER_NAME,
      keepAlive: true,
      connectionTimeoutMillis: heartbeatMs,
      query_timeout: heartbeatMs,
    });
    let dropped = false;
    const drop = (error?: unknown) => {
      if (dropped) return;
      dropped = true;
      if (client === current) client = null;
      current.end().catch(() => undefined);
      if (closed) return;
      const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** failures);
      failures += 1;
      handlers.logger.warn({ err: error, retryInMs: delay }, 'change listener disconnected');
      reconnect = setTimeout(() => void connect(), delay);
    };
    current.on('error', drop);
    current.on('end', () => drop(new Error('the connection ended')));
    current.on('notification', (message) => {
      if (message.channel === channel) handlers.onNotification(message.payload ?? '');
    });
    try {
      await current.connect();
      await current.query(`listen ${current.escapeIdentifier(channel)}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (closed) {
      await current.end().catch(() => undefined);
      return;
    }
    client = current;
    failures = 0;
    handlers.logger.info({ channel }, 'change listener connected');
    handlers.onListening();
  };

  const heartbeat = setInterval(() => {
    const current = client;
    // A failed query emits no 'error' on the client: end it, and 'end' reconnects.
    current?.query('select 1').catch(() => void current.end().catch(() => undefined));
  }, heartbeatMs);
  heartbeat.unref();
  void connect();

  return {
    connected: () => client !== null,
    async close() {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(reconnect);
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}

/**
 * PGlite is one process and one session: its notifications need no connection of their own.
 * LISTEN goes through the pool like every other statement (PGlite's own `listen()` would run
 * it between the steps of a statement the pool is sending, and break that statement), and
 * PGlite hands every notification of the session to `onNotification`.
 */
export async function listenPglite(
  pglite: PGlite,
  db: Kysely<Database>,
  channel: string,
  handlers: ListenHandlers,
): Promise<Listener> {
  const off = pglite.onNotification((from, payload) => {
    if (from === channel) handlers.onNotification(payload);
  });
  await sql`listen ${sql.id(channel)}`.execute(db);
  handlers.onListening();
  return {
    connected: () => true,
    async close() {
      off();
      // A database already closed has stopped listening anyway.
      await sql`unlisten ${sql.id(channel)}`.execute(db).catch(() => undefined);
    },
  };
}
