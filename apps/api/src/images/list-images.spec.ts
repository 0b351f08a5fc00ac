import { seedImage } from '../../test/support/seed';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { createEventBus } from '../events/bus';
import { listImages, type ListImagesQuery } from './list-images';
import { updateImage } from './update-image';

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
    await updateImage({ db: database.db, bus: createEventBus() }, older, { tags: ['beach'] });

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
