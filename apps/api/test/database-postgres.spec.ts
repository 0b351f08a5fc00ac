import { sql } from 'kysely';
import { followConcurrentWriters, type Append } from './support/change-feed-contract';
import { describeDatabaseContract } from './support/database-contract';
import { openPostgresSchema, postgresServerForTests } from './support/postgres-schema';

const serverUrl = postgresServerForTests();

describeDatabaseContract('PostgreSQL', async (options) =>
  openPostgresSchema(await serverUrl(), options),
);

describe('numbers from a PostgreSQL sequence, for comparison', () => {
  it('make a follower of concurrent writers skip changes that commit late', async () => {
    const database = await openPostgresSchema(await serverUrl());
    try {
      await sql`create sequence changes_by_sequence`.execute(database.db);
      const appendFromSequence: Append = (trx, event) =>
        sql`
          insert into changes (seq, type, data)
          values (nextval('changes_by_sequence'), ${event.type}, ${JSON.stringify(event.data)}::jsonb)
        `.execute(trx);

      const { skipped } = await followConcurrentWriters(database.db, appendFromSequence);

      expect(skipped.length).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });
});
