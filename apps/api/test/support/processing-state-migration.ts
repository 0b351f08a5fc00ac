import { Migrator, sql, type Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { resultOf } from '@gallery/message-schema';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { migrateToLatest } from '../../src/db/migrate';
import { migrations } from '../../src/db/migrations';
import { findImageView } from '../../src/images/image-views';
import { recordTags } from '../../src/internal/record-tags';
import { recordThumbnails } from '../../src/internal/record-thumbnails';
import { failed, tagsDone, thumbnailsDone } from './callbacks';
import type { TestDatabase } from './test-database';

/** The tables as that version had them, columns untyped. */
type OldSchema = Record<string, Record<string, unknown>>;

/**
 * A database written by the version that kept a status column per processor on `images`
 * beside `processing_results`, migrated to one processing table: nothing is lost, and
 * callbacks go on as before.
 */
export function describeProcessingStateMigration(name: string, open: () => Promise<TestDatabase>) {
  describe(`the processing state migration on ${name}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await open();
    });
    afterAll(async () => {
      await database?.close();
    });

    it('moves every status, reason and result into the processing table', async () => {
      const old = database.db as unknown as Kysely<OldSchema>;
      const migrator = new Migrator({
        db: old,
        provider: { getMigrations: async () => migrations },
      });
      expect((await migrator.migrateTo('0002-tag-list-index')).error).toBeUndefined();

      const [done, halfFailed, pending, columnOnly] = [0, 1, 2, 3].map(() => randomUUID());
      const thumbnails = thumbnailsDone(done);
      const tags = tagsDone(done);
      const broken = failed(halfFailed, 'corrupt image');
      const images: [string, string, string][] = [
        [done, 'done', 'done'],
        [halfFailed, 'failed', 'pending'],
        [pending, 'pending', 'pending'],
        [columnOnly, 'done', 'failed'],
      ];
      // As that version wrote them: the status columns, and each callback body as received.
      for (const [id, thumbnailStatus, tagsStatus] of images) {
        await old
          .insertInto('images')
          .values({
            id,
            name: `image ${id}`,
            content_type: 'image/jpeg',
            size: 1000,
            thumbnail_status: thumbnailStatus,
            tags_status: tagsStatus,
          })
          .execute();
      }
      for (const [processor, report, error] of [
        ['thumbnail', thumbnails, null],
        ['tags', tags, null],
        ['thumbnail', broken, 'corrupt image'],
      ] as const) {
        await old
          .insertInto('processing_results')
          .values({
            image_id: report.imageId,
            processor,
            event_id: report.eventId,
            status: report.status,
            error,
            payload: JSON.stringify(report),
          })
          .execute();
      }

      expect(await migrateToLatest(database.db)).toEqual(
        Object.keys(migrations).filter((name) => name > '0002-tag-list-index'),
      );

      const rows = await database.db
        .selectFrom('processing')
        .select(['image_id', 'processor', 'status', 'error', 'result', 'event_id'])
        .orderBy('image_id')
        .orderBy('processor')
        .execute();
      expect(rows).toEqual(
        expect.arrayContaining([
          {
            image_id: done,
            processor: 'thumbnail',
            status: 'done',
            error: null,
            result: resultOf(thumbnails),
            event_id: thumbnails.eventId,
          },
          {
            image_id: done,
            processor: 'tags',
            status: 'done',
            error: null,
            result: resultOf(tags),
            event_id: tags.eventId,
          },
          {
            image_id: halfFailed,
            processor: 'thumbnail',
            status: 'failed',
            error: 'corrupt image',
            result: null,
            event_id: broken.eventId,
          },
          // Status columns with no row beside them become rows with no event.
          {
            image_id: columnOnly,
            processor: 'thumbnail',
            status: 'done',
            error: null,
            result: null,
            event_id: null,
          },
          {
            image_id: columnOnly,
            processor: 'tags',
            status: 'failed',
            error: 'failed',
            result: null,
            event_id: null,
          },
        ]),
      );
      expect(rows).toHaveLength(5);

      const views = await Promise.all(images.map(([id]) => findImageView(database.db, id)));
      expect(
        views.map((view) => [view?.status.thumbnail, view?.status.tags, view?.errors]),
      ).toEqual([
        ['done', 'done', {}],
        ['failed', 'pending', { thumbnail: 'corrupt image' }],
        ['pending', 'pending', {}],
        ['done', 'failed', { tags: 'failed' }],
      ]);
      const columns = await sql<{ column_name: string }>`
        select column_name from information_schema.columns
        where table_name = 'images' and column_name like '%_status'
          and table_schema = current_schema()
      `.execute(database.db);
      expect(columns.rows).toEqual([]);

      // Callbacks go on: a duplicate of a moved report changes nothing, a new one is recorded.
      const deps = { db: database.db, store: createMemoryObjectStore() };
      const again = await recordThumbnails(deps, done, { ...thumbnails, eventId: randomUUID() });
      const tagged = await recordTags(database.db, halfFailed, tagsDone(halfFailed));
      expect([again.outcome, tagged.outcome]).toEqual(['unchanged', 'changed']);
    });
  });
}
