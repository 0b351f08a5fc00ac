import { sql, type Kysely } from 'kysely';
import { createSearchFunctions } from './0005-search';

/** Punctuation, as a search splits words on it; each becomes a space. */
const SEPARATORS = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~«»“”‘’„–—…·•¡¿';

/**
 * Albums: named, described, owned by who made them, with an optional chosen cover; an image
 * may be in several. Deleting an album or an image removes only their memberships.
 *
 * Search's words now also hold the names of an image's albums and the year and month it
 * was taken; punctuation separates words (the text parser would keep `IMG_0042.jpg` or
 * `2019.jpg` whole, as a file name, where a search splits them). The index no longer
 * collects new entries in a pending list: PGlite runs no autovacuum to merge it, and every
 * search scanned it whole.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table albums (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      description text not null default '',
      owner_id uuid not null references users (id),
      cover_image_id uuid references images (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index albums_name on albums (lower(name), id)`.execute(db);
  await sql`
    create table album_images (
      album_id uuid not null references albums (id) on delete cascade,
      image_id uuid not null references images (id) on delete cascade,
      added_at timestamptz not null default now(),
      primary key (album_id, image_id)
    )
  `.execute(db);
  await sql`create index album_images_image on album_images (image_id)`.execute(db);

  await sql`
    create or replace function search_words(text) returns tsvector
    language sql immutable parallel safe
    return to_tsvector('simple', translate(
      public.unaccent('public.unaccent'::regdictionary, coalesce($1, '')),
      ${sql.lit(SEPARATORS)},
      ${sql.lit(' '.repeat([...SEPARATORS].length))}
    ))
  `.execute(db);
  await sql`
    create or replace function image_search_words(image uuid) returns tsvector
    language sql stable
    return (
      select search_words(concat_ws(' ',
        images.name,
        (select string_agg(name, ' ') from image_tags where image_id = images.id),
        (select string_agg(albums.name, ' ') from album_images
          join albums on albums.id = album_images.album_id
          where album_images.image_id = images.id),
        (select concat_ws(' ', result ->> 'make', result ->> 'model', result ->> 'lens',
            substr(result ->> 'takenAt', 1, 4),
            (array['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
              'September', 'October', 'November', 'December']
            )[substr(result ->> 'takenAt', 6, 2)::int])
          from processing where image_id = images.id and processor = 'metadata')
      ))
      from images where images.id = image
    )
  `.execute(db);
  await sql`
    create trigger album_images_search after insert or delete on album_images
    for each row execute function refresh_image_search()
  `.execute(db);
  await sql`
    create function refresh_album_search() returns trigger language plpgsql as $$
    begin
      update images set search = image_search_words(id)
      where id in (select image_id from album_images where album_id = new.id);
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger albums_search after update of name on albums
    for each row when (old.name is distinct from new.name)
    execute function refresh_album_search()
  `.execute(db);
  await sql`update images set search = image_search_words(id)`.execute(db);
  await sql`alter index images_search set (fastupdate = off)`.execute(db);
  // What the pending list held moves into the index itself.
  await sql`select gin_clean_pending_list('images_search'::regclass)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter index images_search reset (fastupdate)`.execute(db);
  await createSearchFunctions(db);
  await sql`drop trigger albums_search on albums`.execute(db);
  await sql`drop function refresh_album_search()`.execute(db);
  await sql`drop trigger album_images_search on album_images`.execute(db);
  await sql`drop table album_images`.execute(db);
  await sql`drop table albums`.execute(db);
  await sql`update images set search = image_search_words(id)`.execute(db);
}
