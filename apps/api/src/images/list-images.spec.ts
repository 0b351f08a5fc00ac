import { randomUUID } from 'node:crypto';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { seedImage } from '../../test/support/seed';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { listImages, type ListImagesQuery } from './list-images';
import { recorderOf } from '../internal/recorders';
import { updateImage } from './update-image';

/** Whoever changes the seeded images: an administrator may change any. */
const ADMIN = { id: randomUUID(), username: 'admin', role: 'admin' } as const;

describe('listing the images of one tag', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  beforeEach(async () => {
    await database.truncate();
  });
  afterAll(async () => {
    await database?.close();
  });

  /** Every page of the query, following its cursors, as lists of ids. */
  async function allPages(query: ListImagesQuery): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listImages(database.db, { ...query, cursor });
      pages.push(page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return pages;
  }

  const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));

  it('pages through the tagged images newest first, ties broken by id, each once', async () => {
    const tagged: { id: string; second: number }[] = [];
    // Two images share each instant; every third image is not tagged.
    for (let i = 0; i < 12; i++) {
      const second = Math.floor(i / 2);
      const tags = i % 3 === 0 ? ['dog'] : ['cat', 'animal'];
      const id = await seedImage(database, { createdAt: at(second), tags });
      if (tags.includes('cat')) tagged.push({ id, second });
    }
    const expected = tagged
      .sort((a, b) => b.second - a.second || (a.id < b.id ? 1 : -1))
      .map(({ id }) => id);

    const pages = await allPages({ limit: 3, tag: 'cat' });

    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(pages.flat()).toEqual(expected);
  });

  it('lists an image once when a labeler and a person gave it the same tag', async () => {
    const older = await seedImage(database, { createdAt: at(1), tags: ['cat'] });
    const newer = await seedImage(database, { createdAt: at(2), tags: ['cat'] });
    for (const image_id of [older, newer]) {
      await database.db
        .insertInto('image_tags')
        .values({ image_id, name: 'cat', confidence: null, source: 'manual' })
        .execute();
    }

    const pages = await allPages({ limit: 1, tag: 'cat' });

    expect(pages).toEqual([[newer], [older]]);
  });

  it('orders by when each image was uploaded, not when it was tagged', async () => {
    const older = await seedImage(database, { createdAt: at(1) });
    const newer = await seedImage(database, { createdAt: at(2), tags: ['beach'] });
    await updateImage({ db: database.db }, ADMIN, older, { tags: ['beach'] });

    const { items } = await listImages(database.db, { limit: 10, tag: 'beach' });

    expect(items.map((item) => item.id)).toEqual([newer, older]);
  });

  it('answers each image with its own tags, not only the one asked for', async () => {
    const id = await seedImage(database, { tags: ['cat', 'sofa'] });

    const { items } = await listImages(database.db, { limit: 10, tag: 'sofa' });

    expect(items).toEqual([expect.objectContaining({ id })]);
    expect(items[0].tags.map((tag) => tag.name).sort()).toEqual(['cat', 'sofa']);
  });
});

describe('listing the images by date taken', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  async function allPages(query: Omit<ListImagesQuery, 'limit'>, limit: number) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listImages(database.db, { ...query, limit, cursor, order: 'taken' });
      pages.push(page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return pages;
  }

  /** The metadata processor's report, as its callback records it. */
  async function taken(id: string, takenAt: string | undefined) {
    const report = {
      status: 'done' as const,
      imageId: id,
      eventId: randomUUID(),
      ...(takenAt && { takenAt }),
    };
    await recorderOf('metadata')({ db: database.db, store: createMemoryObjectStore() }, id, report);
  }

  it('gives the newest date taken first, then the images without one by upload, each once', async () => {
    const uploaded = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
    // Uploaded in one order, taken in another; two taken at the same instant; two without.
    const a = await seedImage(database, { createdAt: uploaded(1), tags: ['cat'] });
    const b = await seedImage(database, { createdAt: uploaded(2) });
    const c = await seedImage(database, { createdAt: uploaded(3), tags: ['cat'] });
    const d = await seedImage(database, { createdAt: uploaded(4), tags: ['cat'] });
    const e = await seedImage(database, { createdAt: uploaded(5) });
    const f = await seedImage(database, { createdAt: uploaded(6), tags: ['cat'] });
    await taken(a, '2024-06-01T14:03:22');
    await taken(b, '2019-01-01T00:00:00');
    await taken(c, '2024-06-01T14:03:22');
    await taken(d, undefined); // read, but the file has no date
    await taken(f, '2001-09-09T01:46:40');
    // e: not read yet

    const pages = await allPages({}, 2);

    expect(pages.flat()).toEqual([c, a, b, f, e, d]);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2]);
    expect((await allPages({ tag: 'cat' }, 1)).flat()).toEqual([c, a, f, d]);
  });

  it('refuses a cursor it did not make', async () => {
    await expect(
      listImages(database.db, { limit: 2, order: 'taken', cursor: 'bm90IGEgY3Vyc29y' }),
    ).rejects.toThrow('invalid cursor');
  });
});
