import { Migrator, type Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listImages } from '../../images/list-images';
import { connectPglite, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { migrations } from './index';

describe('the tag list migration', () => {
  let dir: string;
  let database: DatabaseHandle;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gallery-migration-'));
    database = await connectPglite(join(dir, 'db'));
  });
  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the tag filter working for tags stored before it', async () => {
    const migrator = new Migrator({
      db: database.db,
      provider: { getMigrations: async () => migrations },
    });
    const { error } = await migrator.migrateTo('0001-initial-schema');
    expect(error).toBeUndefined();
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) {
      // As the code of the time wrote images, with the columns of the time.
      await (database.db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('images')
        .values({
          id,
          name: `image ${i}`,
          content_type: 'image/jpeg',
          size: 1000,
          thumbnail_status: 'done',
          tags_status: 'done',
          created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
        })
        .execute();
    }
    // As the code of the time stored tags: with no image time.
    for (const id of [ids[0], ids[2]]) {
      await database.db
        .insertInto('image_tags')
        .values({ image_id: id, name: 'cat', confidence: 0.9, source: 'labeler' })
        .execute();
    }

    const applied = await migrateToLatest(database.db);
    const { items } = await listImages(database.db, { limit: 10, tag: 'cat' });

    expect(applied).toContain('0002-tag-list-index');
    expect(items.map((item) => item.id)).toEqual([ids[2], ids[0]]);
  });
});
