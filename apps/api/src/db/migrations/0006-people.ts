import { sql, type Kysely } from 'kysely';

/**
 * The people who share the gallery: each user is an `admin` or a `member` and may be
 * disabled; invitations let someone choose their own name and password; sessions get an id
 * (to be listed and ended without their token), the browser that opened them and when they
 * were last used; each image records who added it. Before this, the one user was the
 * administrator, and every image was theirs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users
      add column role text not null default 'member' check (role in ('admin', 'member')),
      add column disabled_at timestamptz
  `.execute(db);
  await sql`update users set role = 'admin'`.execute(db);
  // A name is one person's whatever its case: `Anna` cannot join beside `anna`.
  await sql`create unique index users_username_lower on users (lower(username))`.execute(db);

  await sql`
    alter table sessions
      add column id uuid not null default gen_random_uuid() unique,
      add column user_agent text,
      add column last_seen_at timestamptz not null default now()
  `.execute(db);
  await sql`create index sessions_user on sessions (user_id)`.execute(db);

  await sql`
    create table invitations (
      token_hash text primary key,
      id uuid not null default gen_random_uuid() unique,
      role text not null check (role in ('admin', 'member')),
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_by uuid references users (id),
      used_at timestamptz
    )
  `.execute(db);

  await sql`alter table images add column owner_id uuid references users (id)`.execute(db);
  await sql`
    update images set owner_id = (select id from users order by created_at limit 1)
  `.execute(db);
  await sql`create index images_owner on images (owner_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table images drop column owner_id`.execute(db);
  await sql`drop table invitations`.execute(db);
  await sql`drop index sessions_user`.execute(db);
  await sql`alter table sessions drop column id, drop column user_agent, drop column last_seen_at`.execute(
    db,
  );
  await sql`drop index users_username_lower`.execute(db);
  await sql`alter table users drop column role, drop column disabled_at`.execute(db);
}
