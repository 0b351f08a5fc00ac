import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/connect';
import { CHANGES_CHANNEL } from './append-change';
import { startChangeHub, type ChangeHub } from './change-hub';
import type { Listener } from './listen';

export interface FollowedChanges {
  hub: ChangeHub;
  listener: Listener;
  stop(): Promise<void>;
}

/**
 * This instance's view of the change feed: it reads new changes on every notification, and
 * after every (re)connection of its listener, so that a change committed while nobody
 * listened is read all the same.
 */
export async function followChanges(
  database: DatabaseHandle,
  logger: Pick<Logger, 'info' | 'warn' | 'error'>,
): Promise<FollowedChanges> {
  const hub = await startChangeHub({ db: database.db, logger });
  const listener = await database.listen(CHANGES_CHANNEL, {
    onNotification: () => void hub.poll(),
    onListening: () => void hub.poll(),
    logger,
  });
  return {
    hub,
    listener,
    async stop() {
      await listener.close();
      hub.stop();
    },
  };
}
