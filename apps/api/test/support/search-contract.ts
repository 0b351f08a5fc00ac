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
      ['the start of a tag', 'cat', ['cats']],
      ['the camera', 'canon', ['canon']],
      ['the camera model', 'eos r6', ['canon']],
      ['two words, both required', 'cafe lait', ['cafe']],
      ['two words, one missing', 'cafe rocket', []],
      ['a word found nowhere', 'zebra', []],
    ])('finds by %s (%s)', async (_, q, expected) => {
      expect(await found({ q })).toEqual(expected);
    });

    it('ignores what is not a word: no filter at all', async () => {
      expect(await found({ q: ' & | ! :* ' })).toEqual(['canon', 'rocket', 'cats', 'cafe']);
    });

    it('combines with the tag filter and the order by date taken', async () => {
      expect(await found({ q: 'sofa', tag: 'cats' })).toEqual(['cats']);
      expect(await found({ q: 'sofa', tag: 'dogs' })).toEqual([]);
      expect(await found({ q: 'a', order: 'taken' })).toEqual(['canon', 'cafe']);
    });

    it('pages through the results with the cursor', async () => {
      const first = await listImages(database.db, { limit: 1, q: 'a' });
      const second = await listImages(database.db, {
        limit: 5,
        q: 'a',
        cursor: first.nextCursor ?? undefined,
      });

      expect(first.items.map((item) => item.id)).toEqual([ids.canon]);
      expect(second.items.map((item) => item.id)).toEqual([ids.cafe]);
    });

    it('follows a rename and a change of tags', async () => {
      await database.db
        .updateTable('images')
        .set({ name: 'Armchair' })
        .where('id', '=', ids.cats)
        .execute();
      await database.db.deleteFrom('image_tags').where('image_id', '=', ids.cats).execute();

      expect(await found({ q: 'sofa' })).toEqual([]);
      expect(await found({ q: 'cat' })).toEqual([]);
      expect(await found({ q: 'armch' })).toEqual(['cats']);
    });
  });
}
