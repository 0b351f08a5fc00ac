import { randomUUID } from 'node:crypto';
import { migrateToLatest } from '../../src/db/migrate';
import { listImages } from '../../src/images/list-images';
import { recordTags } from '../../src/internal/record-tags';
import { recordThumbnails } from '../../src/internal/record-thumbnails';
import { readChanges } from '../../src/feed/read-changes';
import { enqueueEvent } from '../../src/outbox/enqueue';
import { publishPendingEvents } from '../../src/outbox/relay';
import { tagsDone, thumbnailsDone } from './callbacks';
import { createCollectingPublisher } from './collecting-publisher';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { seedImage } from './seed';
import type { OpenOptions, TestDatabase } from './test-database';
import { describeProcessingStateMigration } from './processing-state-migration';
import { describeChangeFeedContract } from './change-feed-contract';
import { describeSearchContract } from './search-contract';

/**
 * What the code asks of its database, run against every adapter (PGlite and PostgreSQL),
 * so that the embedded database cannot drift from production.
 */
export function describeDatabaseContract(
  name: string,
  open: (options?: OpenOptions) => Promise<TestDatabase>,
) {
  describeProcessingStateMigration(name, () => open({ migrated: false }));
  describeChangeFeedContract(name, () => open());
  describeSearchContract(name, () => open());

  describe(`the database layer on ${name}`, () => {
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

    it('has nothing left to migrate after the first run', async () => {
      expect(await migrateToLatest(database.db)).toEqual([]);
    });

    it('returns sizes as numbers and times to the millisecond', async () => {
      const createdAt = new Date('2026-05-04T03:02:01.987Z');
      const id = await seedImage(database, { createdAt });

      const { items } = await listImages(database.db, { limit: 10 });

      expect(items).toEqual([
        expect.objectContaining({ id, size: 1234, createdAt: '2026-05-04T03:02:01.987Z' }),
      ]);
    });

    it('pages by keyset through images that share a creation time', async () => {
      const createdAt = new Date();
      const ids = await Promise.all(
        Array.from({ length: 5 }, () => seedImage(database, { createdAt })),
      );

      const first = await listImages(database.db, { limit: 2 });
      const second = await listImages(database.db, { limit: 2, cursor: first.nextCursor ?? '' });
      const third = await listImages(database.db, { limit: 2, cursor: second.nextCursor ?? '' });

      const seen = [...first.items, ...second.items, ...third.items].map((item) => item.id);
      expect(seen).toEqual([...ids].sort().reverse());
      expect(third.nextCursor).toBeNull();
    });

    it('filters by tag', async () => {
      const cat = await seedImage(database, { tags: ['cat'] });
      await seedImage(database, { tags: ['dog'] });

      const { items } = await listImages(database.db, { limit: 10, tag: 'cat' });

      expect(items.map((item) => item.id)).toEqual([cat]);
    });

    it('records a callback once, however often it comes', async () => {
      const id = await seedImage(database);
      const report = tagsDone(id);

      const outcomes = [
        (await recordTags(database.db, id, report)).outcome,
        (await recordTags(database.db, id, report)).outcome,
      ];

      expect(outcomes).toEqual(['changed', 'unchanged']);
    });

    it('appends, for two reports recorded side by side, each view just after its own change', async () => {
      const id = await seedImage(database);
      const deps = { db: database.db, store: createMemoryObjectStore() };

      await Promise.all([
        recordTags(database.db, id, tagsDone(id)),
        recordThumbnails(deps, id, thumbnailsDone(id)),
      ]);

      // The first in the feed saw only its own report done; the second saw both.
      const changes = await readChanges(database.db, 0, 10);
      const doneInView = changes.map(({ event }) =>
        event.type === 'image.updated'
          ? Object.values(event.data.status).filter((status) => status === 'done').length
          : 0,
      );
      expect(doneInView).toEqual([1, 2]);
    });

    it('cascades an image deletion to its tags and results', async () => {
      const id = await seedImage(database, { tags: ['cat'] });
      await recordTags(database.db, id, tagsDone(id));

      await database.db.deleteFrom('images').where('id', '=', id).execute();

      const tags = await database.db.selectFrom('image_tags').selectAll().execute();
      const results = await database.db.selectFrom('processing').selectAll().execute();
      expect([tags, results]).toEqual([[], []]);
    });

    it('lets two relays publish side by side without sending an event twice', async () => {
      for (let n = 0; n < 20; n++) {
        await enqueueEvent(database.db, {
          type: 'image.uploaded',
          payload: { n, id: randomUUID() },
        });
      }
      const publisher = createCollectingPublisher();

      await Promise.all([
        publishPendingEvents({ db: database.db, publisher, batchSize: 5 }),
        publishPendingEvents({ db: database.db, publisher, batchSize: 5 }),
        publishPendingEvents({ db: database.db, publisher, batchSize: 5 }),
      ]);

      const sent = publisher.messages.map((message) => JSON.parse(message.body).n);
      expect(new Set(sent).size).toBe(sent.length);
      expect(sent.length).toBe(15);
    });
  });
}
