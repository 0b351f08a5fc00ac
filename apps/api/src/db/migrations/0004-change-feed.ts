import { sql, type Kysely } from 'kysely';

/**
 * What several API instances share: the change feed and the login limits.
 *
 * `changes` holds one row per change to an image, numbered gallery-wide. The number comes
 * from `feed_state.last_seq`, updated in the writing transaction: that row's lock makes
 * writers take numbers one after another, in the order they commit, so a reader that has
 * seen number n and reads "after n" never skips a row that commits later (numbers from a
 * sequence are handed out before commit, in another order). `pruned_through` is the last
 * number pruning removed: a reader asking from before it has missed changes for good.
 *
 * `login_attempts` counts attempts per key (an address, a user name) in fixed windows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table changes (
      seq int8 primary key,
      type text not null,
      data jsonb not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index changes_created_at on changes (created_at)`.execute(db);
  await sql`
    create table feed_state (
      id boolean primary key default true check (id),
      last_seq int8 not null default 0,
      pruned_through int8 not null default 0
    )
  `.execute(db);
  await sql`insert into feed_state default values`.execute(db);
  await sql`
    create table login_attempts (
      key text primary key,
      count integer not null,
      reset_at timestamptz not null
    )
  `.execute(db);
  await sql`create index login_attempts_reset_at on login_attempts (reset_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table login_attempts`.execute(db);
  await sql`drop table feed_state`.execute(db);
  await sql`drop table changes`.execute(db);
}
