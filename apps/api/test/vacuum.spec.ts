import { sql } from 'kysely';
import pino from 'pino';
import { startVacuum } from '../src/housekeeping/vacuum';
import { seedImage } from './support/seed';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('the vacuum PGlite needs', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  /** What the planner knows of the words of images: the most common ones, from ANALYZE. */
  const commonWords = async () => {
    const { rows } = await sql<{ words: string[] | null }>`
      select most_common_elems::text::text[] as words from pg_stats
      where tablename = 'images' and attname = 'search'
    `.execute(database.db);
    return rows[0]?.words ?? [];
  };

  it('gives the planner statistics of the words at start, which PGlite never gathers itself', async () => {
    for (let i = 0; i < 50; i++) {
      await seedImage(database, { name: `holiday ${i % 2 === 0 ? 'beach' : 'lake'} ${i}` });
    }
    expect(await commonWords()).toEqual([]);

    const vacuum = startVacuum({ db: database.db, logger: pino({ level: 'silent' }) });
    await vacuum.stop();

    expect(await commonWords()).toEqual(expect.arrayContaining(['holiday', 'beach', 'lake']));
  });
});
