import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { readChanges, readPosition, type Change } from './read-changes';

/** A change and its Server-Sent Event, formatted once for every stream. */
export interface SentChange {
  seq: number;
  text: string;
  /** The sessions whose streams end here. */
  endsSessions?: ReadonlySet<string>;
}

export type ChangeSubscriber = (change: SentChange) => void;

/** One instance's reader of the feed: what it reads, every open stream receives. */
export interface ChangeHub {
  /**
   * Reads the changes after the last one handed out and hands them to every subscriber, in
   * order. Called on each notification and after every reconnection of the listener; calls
   * that come while a read is under way make one more read, not one each.
   */
  poll(): Promise<void>;
  subscribe(subscriber: ChangeSubscriber): () => void;
  subscriberCount(): number;
}

const BATCH = 500;
const RETRY_MS = 1_000;

/** `id:` is the change's number, which a reconnecting EventSource sends back as Last-Event-ID. */
export function formatChange({ seq, event }: Change): SentChange {
  if (event.type === 'sessions.ended') {
    // No event for the browser, only the number: it keeps a stream's ids without gaps.
    return { seq, text: `id: ${seq}\n\n`, endsSessions: new Set(event.data.sessionIds) };
  }
  return { seq, text: `id: ${seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n` };
}

/** Starts at the feed's current end: streams replay anything older themselves. */
export async function startChangeHub({
  db,
  logger,
}: {
  db: Kysely<Database>;
  logger: Pick<Logger, 'error'>;
}): Promise<ChangeHub & { stop(): void }> {
  let cursor = (await readPosition(db)).last;
  const subscribers = new Set<ChangeSubscriber>();
  let running: Promise<void> | null = null;
  let again = false;
  let retry: NodeJS.Timeout | undefined;

  const deliver = (change: SentChange) => {
    for (const subscriber of subscribers) {
      try {
        subscriber(change);
      } catch (error) {
        logger.error({ err: error }, 'event stream failed');
      }
    }
  };

  const readAll = async () => {
    for (;;) {
      const changes = await readChanges(db, cursor, BATCH);
      for (const change of changes) {
        cursor = change.seq;
        deliver(formatChange(change));
      }
      if (changes.length < BATCH) return;
    }
  };

  const poll = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await readAll();
        } while (again);
      } catch (error) {
        // A change whose notification came during an outage must still go out.
        logger.error({ err: error }, 'reading the change feed failed');
        clearTimeout(retry);
        retry = setTimeout(() => void poll(), RETRY_MS);
        retry.unref();
      } finally {
        running = null;
      }
    })();
    return running;
  };

  return {
    poll,
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => void subscribers.delete(subscriber);
    },
    subscriberCount: () => subscribers.size,
    stop: () => clearTimeout(retry),
  };
}
