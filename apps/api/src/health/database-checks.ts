import { sql, type Kysely } from 'kysely';
import { migrations } from '../db/migrations';
import type { Database } from '../db/schema';
import { CheckFailedError } from './readiness';

/** Where Kysely's Migrator records each migration it has applied. */
const MIGRATION_TABLE = 'kysely_migration';
const UNDEFINED_TABLE = '42P01';

/** The database answers a query. */
export async function checkDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * The schema is the one this code was written for: every migration it has is applied, and
 * none it does not know (a newer version's, which this code may misread).
 */
export async function checkMigrations(db: Kysely<Database>): Promise<void> {
  const known = Object.keys(migrations);
  const applied = await appliedMigrations(db);
  const problems = [];
  const unknown = [...applied].filter((name) => !known.includes(name));
  if (unknown.length > 0) problems.push(`unknown to this version: ${unknown.join(', ')}`);
  const missing = known.filter((name) => !applied.has(name));
  if (applied.size === 0) problems.push('none applied');
  else if (missing.length > 0) problems.push(`not applied: ${missing.join(', ')}`);
  if (problems.length > 0) throw new CheckFailedError(problems.join('; '));
}

async function appliedMigrations(db: Kysely<Database>): Promise<Set<string>> {
  try {
    const { rows } = await sql<{ name: string }>`
      select name from ${sql.table(MIGRATION_TABLE)}
    `.execute(db);
    return new Set(rows.map(({ name }) => name));
  } catch (error) {
    // A database never migrated has no table yet.
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return new Set();
    throw error;
  }
}

/**
 * Events leave the outbox: its oldest unpublished event is younger than `maxAgeSeconds`.
 * An older one means the relay is stuck (or the publisher refuses it), and uploads made here
 * would not be processed. The age is taken on the database's clock, which wrote it.
 */
export async function checkOutbox(db: Kysely<Database>, maxAgeSeconds: number): Promise<void> {
  // The first pending row by id: the relay's partial index finds it at once, even behind a
  // backlog of thousands, where the oldest by `created_at` would mean reading them all.
  const oldest = await db
    .selectFrom('outbox')
    .select(sql<number>`extract(epoch from now() - created_at)::float8`.as('ageSeconds'))
    .where('published_at', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (oldest && oldest.ageSeconds > maxAgeSeconds) {
    throw new CheckFailedError(
      `oldest unpublished event is ${Math.floor(oldest.ageSeconds)} s old (limit ${maxAgeSeconds} s)`,
    );
  }
}
