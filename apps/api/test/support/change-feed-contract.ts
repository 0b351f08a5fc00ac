import type { GalleryEvent } from '@gallery/message-schema';
import type { Kysely, Transaction } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../src/db/schema';
import { appendChange } from '../../src/feed/append-change';
import { readChanges } from '../../src/feed/read-changes';
import type { TestDatabase } from './test-database';

export type Append = (trx: Transaction<Database>, event: GalleryEvent) => Promise<unknown>;

export interface FollowResult {
  /** Every number the follower read, in the order it read them. */
  read: number[];
  /** Numbers the follower had passed when they became visible: it never reads them. */
  skipped: number[];
}

/**
 * Writers append side by side, each waiting a little inside its transaction before commit,
 * while a follower reads "after the last number I saw" as an event stream does. The numbers
 * are then checked against what was committed.
 */
export async function followConcurrentWriters(
  db: Kysely<Database>,
  append: Append,
  { writers = 6, perWriter = 20 } = {},
): Promise<FollowResult> {
  let writing = true;
  const write = async (writer: number) => {
    for (let n = 0; n < perWriter; n++) {
      await db.transaction().execute(async (trx) => {
        await append(trx, { type: 'image.deleted', data: { id: `${writer}-${n}` } });
        await sleep(Math.random() * 4);
      });
    }
  };
  const read: number[] = [];
  const follow = async () => {
    let cursor = 0;
    for (;;) {
      const done = !writing;
      for (const { seq } of await readChanges(db, cursor, 1000)) {
        read.push(seq);
        cursor = seq;
      }
      if (done) return;
      await sleep(1);
    }
  };
  const following = follow();
  await Promise.all(Array.from({ length: writers }, (_, writer) => write(writer)));
  writing = false;
  await following;
  const all = await readChanges(db, 0, writers * perWriter + 1);
  const seen = new Set(read);
  return { read, skipped: all.map(({ seq }) => seq).filter((seq) => !seen.has(seq)) };
}

/** The change feed's promises, on every database the API runs on. */
export function describeChangeFeedContract(name: string, open: () => Promise<TestDatabase>) {
  describe(`the change feed on ${name}`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await open();
    });
    beforeEach(async () => {
      await database.truncate();
    });
    afterAll(async () => {
      await database?.close();
    });

    it('numbers changes 1, 2, 3… and keeps each event as it was appended', async () => {
      const events: GalleryEvent[] = [
        { type: 'image.deleted', data: { id: 'a' } },
        { type: 'image.deleted', data: { id: 'b' } },
      ];
      const numbers: number[] = [];
      for (const event of events) {
        numbers.push(await database.db.transaction().execute((trx) => appendChange(trx, event)));
      }

      expect(numbers).toEqual([1, 2]);
      expect(await readChanges(database.db, 0, 10)).toEqual([
        { seq: 1, event: events[0] },
        { seq: 2, event: events[1] },
      ]);
      expect(await readChanges(database.db, 1, 10)).toEqual([{ seq: 2, event: events[1] }]);
    });

    it('takes no number for a change rolled back', async () => {
      await expect(
        database.db.transaction().execute(async (trx) => {
          await appendChange(trx, { type: 'image.deleted', data: { id: 'gone' } });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      const seq = await database.db
        .transaction()
        .execute((trx) => appendChange(trx, { type: 'image.deleted', data: { id: 'kept' } }));

      expect(seq).toBe(1);
    });

    it('lets a follower of concurrent writers read every change, none skipped', async () => {
      const { read, skipped } = await followConcurrentWriters(database.db, appendChange);

      expect(skipped).toEqual([]);
      expect(read).toEqual(Array.from({ length: read.length }, (_, n) => n + 1));
      expect(read).toHaveLength(120);
    });
  });
}
