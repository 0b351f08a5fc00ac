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

/** Databases only one process can open: PGlite, behind its directory lock. */
const oneProcessOnly = new WeakSet<object>();

/** Says that only this process uses `db`: its runs need no lock. */
export function usedByOneProcessOnly<DB>(db: Kysely<DB>): void {
  oneProcessOnly.add(db);
}

/**
 * Runs `task` only if no other session holds the advisory lock named `name`, so that one
 * instance at a time does it; `skipped` when another holds it. The lock is a session lock
 * on one connection held for the run, and it is released after the run, failed or not; the
 * task is given that connection. A database only this process uses needs no lock: the task
 * gets the pool itself, so that on PGlite (one connection) a long run does not hold up
 * every request.
 */
export async function withAdvisoryLock<DB>(
  db: Kysely<DB>,
  name: string,
  task: (connection: Kysely<DB>) => Promise<void>,
): Promise<LockedRunOutcome> {
  if (oneProcessOnly.has(db)) {
    await task(db);
    return 'done';
  }
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
