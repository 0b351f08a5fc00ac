import { listImages, type ListImagesQuery } from '../../src/images/list-images';
import { seedImage } from './seed';
import type { TestDatabase } from './test-database';

/** Search's promises, on every database the API runs on: the same results on each. */
export function describeSearchContract(name: string, open: () => Promise<TestDatabase>) {
  describe(`search on ${name}`, () => {
    let database: TestDatabase;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      database = await open();
      const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
      ids.cafe = await seedImage(database, { name: 'Café au lait', createdAt: at(1) });
      ids.cats = await seedImage(database, { name: 'Sofa', tags: ['cats'], createdAt: at(2) });
      ids.rocket = await seedImage(database, { name: 'ROCKET launch', createdAt: at(3) });
      ids.canon = await seedImage(database, { name: 'Lake at dawn', createdAt: at(4) });
      ids.file = await seedImage(database, {
        name: 'IMG_0042.jpg',
        tags: ['cat', 'animal'],
        createdAt: at(5),
      });
      const { id: owner } = await database.db
        .insertInto('users')
        .values({ username: 'searcher', password_hash: 'x' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { id: album } = await database.db
        .insertInto('albums')
        .values({ name: 'Zürich trip', owner_id: owner })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.album = album;
      await database.db
        .insertInto('album_images')
        .values([ids.cafe, ids.file].map((image_id) => ({ album_id: album, image_id })))
        .execute();
      await database.db
        .insertInto('processing')
        .values({
          image_id: ids.canon,
          processor: 'metadata',
          status: 'done',
          error: null,
          result: JSON.stringify({
            make: 'Canon',
            model: 'EOS R6',
            takenAt: '2025-06-01T05:00:00',
          }),
          event_id: null,
        })
        .execute();
    });
    afterAll(async () => {
      await database?.close();
    });

    const found = async (query: Partial<ListImagesQuery>) => {
      const { items } = await listImages(database.db, { limit: 50, ...query });
      return items.map((item) => Object.keys(ids).find((key) => ids[key] === item.id));
    };

    it.each([
      ['a word without its accent', 'cafe', ['cafe']],
      ['a word in another case, with its accent', 'CAFÉ', ['cafe']],
      ['the start of a word', 'laun', ['rocket']],
      ['the start of a tag', 'cat', ['file', 'cats']],
      ['the camera', 'canon', ['canon']],
      ['the camera model', 'eos r6', ['canon']],
      ['two words, both required', 'cafe lait', ['cafe']],
      ['two words, one missing', 'cafe rocket', []],
      ['the year taken', '2025', ['canon']],
      ['the month taken', 'june', ['canon']],
      ['a parent category the labeler added', 'anim', ['file']],
      ['an album name, without its accent', 'zurich', ['file', 'cafe']],
      ['the parts of a file-like name', 'img 0042', ['file']],
      ['a word with punctuation around it', '"jpg"!', ['file']],
      ['a word found nowhere', 'zebra', []],
    ])('finds by %s (%s)', async (_, q, expected) => {
      expect(await found({ q })).toEqual(expected);
    });

    it('ignores what is not a word: no filter at all', async () => {
      expect(await found({ q: ' & | ! :* ' })).toEqual(['file', 'canon', 'rocket', 'cats', 'cafe']);
    });

    it('combines with the album filter', async () => {
      expect(await found({ album: ids.album })).toEqual(['file', 'cafe']);
      expect(await found({ album: ids.album, q: 'lait' })).toEqual(['cafe']);
      expect(await found({ album: ids.album, tag: 'cat', q: 'zurich' })).toEqual(['file']);
      expect(await found({ album: ids.album, order: 'taken' })).toEqual(['file', 'cafe']);
    });

    it('follows an album renamed, an image leaving it, and the album deleted', async () => {
      await database.db
        .updateTable('albums')
        .set({ name: 'Geneva' })
        .where('id', '=', ids.album)
        .execute();
      expect(await found({ q: 'zurich' })).toEqual([]);
      expect(await found({ q: 'geneva' })).toEqual(['file', 'cafe']);

      await database.db.deleteFrom('album_images').where('image_id', '=', ids.cafe).execute();
      expect(await found({ q: 'geneva' })).toEqual(['file']);

      await database.db.deleteFrom('albums').where('id', '=', ids.album).execute();
      expect(await found({ q: 'geneva' })).toEqual([]);
    });

    it('combines with the tag filter and the order by date taken', async () => {
      expect(await found({ q: 'sofa', tag: 'cats' })).toEqual(['cats']);
      expect(await found({ q: 'sofa', tag: 'dogs' })).toEqual([]);
      expect(await found({ q: 'cat', tag: 'animal' })).toEqual(['file']);
      expect(await found({ q: 'a', order: 'taken' })).toEqual(['canon', 'file', 'cafe']);
    });

    it('pages through the results with the cursor', async () => {
      const first = await listImages(database.db, { limit: 1, q: 'a' });
      const second = await listImages(database.db, {
        limit: 5,
        q: 'a',
        cursor: first.nextCursor ?? undefined,
      });

      expect(first.items.map((item) => item.id)).toEqual([ids.file]);
      expect(second.items.map((item) => item.id)).toEqual([ids.canon, ids.cafe]);
    });

    it('follows a rename and a change of tags', async () => {
      await database.db
        .updateTable('images')
        .set({ name: 'Armchair' })
        .where('id', '=', ids.cats)
        .execute();
      await database.db.deleteFrom('image_tags').where('image_id', '=', ids.cats).execute();

      expect(await found({ q: 'sofa' })).toEqual([]);
      expect(await found({ q: 'cat' })).toEqual(['file']);
      expect(await found({ q: 'armch' })).toEqual(['cats']);
    });
  });
}
