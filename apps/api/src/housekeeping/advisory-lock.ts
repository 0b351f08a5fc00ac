import { sql, type Kysely } from 'kysely';
import { createHash } from 'node:crypto';

export type LockedRunOutcome = 'done' | 'skipped';

/**
 * The 64-bit key of the advisory lock named `name`: the same in every process and on every
 * server version (unlike `hashtext`), so instances of any release agree on it.
 */
function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * Runs `task` only if no other session holds the advisory lock named `name`, so that one
 * instance at a time does it; `skipped` when another holds it. The lock is a session lock
 * on one connection held for the run, and it is released after the run, failed or not.
 *
 * The task is given that connection and should query through it: PGlite's pool has a
 * single connection, which the run holds. On PGlite (one session) the lock never refuses,
 * and runs take turns for the connection instead.
 */
export async function withAdvisoryLock<DB>(
  db: Kysely<DB>,
  name: string,
  task: (connection: Kysely<DB>) => Promise<void>,
): Promise<LockedRunOutcome> {
  const key = advisoryLockKey(name);
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_lock(${key}::int8) as locked
    `.execute(connection);
    if (!rows[0]?.locked) return 'skipped';
    try {
      await task(connection);
      return 'done';
    } finally {
      await sql`select pg_advisory_unlock(${key}::int8)`.execute(connection);
    }
  });
}
