import { sql } from 'kysely';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { appendChange } from './append-change';
import { pruneChanges } from './prune-changes';
import { readChanges, readPosition } from './read-changes';

describe('pruneChanges', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  beforeEach(async () => {
    await database.truncate();
  });
  afterAll(async () => {
    await database.close();
  });

  /** Appends a change as if made `hoursAgo` hours ago. */
  async function changeMade(hoursAgo: number): Promise<number> {
    const seq = await database.db
      .transaction()
      .execute((trx) => appendChange(trx, { type: 'image.deleted', data: { id: `${hoursAgo}` } }));
    const madeAt = new Date(Date.now() - hoursAgo * 3_600_000);
    await sql`update changes set created_at = ${madeAt} where seq = ${seq}`.execute(database.db);
    return seq;
  }

  it('deletes the changes older than the cut-off and remembers the last number deleted', async () => {
    for (const hoursAgo of [30, 26, 2, 1]) await changeMade(hoursAgo);

    const deleted = await pruneChanges(database.db, new Date(Date.now() - 24 * 3_600_000));

    expect(deleted).toBe(2);
    expect((await readChanges(database.db, 0, 10)).map(({ seq }) => seq)).toEqual([3, 4]);
    expect(await readPosition(database.db)).toEqual({ last: 4, prunedThrough: 2 });
  });

  it('deletes a first run of numbers only, even when an older change took a later number', async () => {
    // A transaction that began first (its time is earlier) may commit, and number, later.
    for (const hoursAgo of [26, 30, 2]) await changeMade(hoursAgo);

    await pruneChanges(database.db, new Date(Date.now() - 24 * 3_600_000));

    expect((await readChanges(database.db, 0, 10)).map(({ seq }) => seq)).toEqual([3]);
    expect((await readPosition(database.db)).prunedThrough).toBe(2);
  });

  it('changes nothing when nothing is old enough', async () => {
    await changeMade(1);

    expect(await pruneChanges(database.db, new Date(Date.now() - 24 * 3_600_000))).toBe(0);
    expect(await readPosition(database.db)).toEqual({ last: 1, prunedThrough: 0 });
  });
});
