import { sql, type Kysely } from 'kysely';

/**
 * What search reads: each image's words (its name, its tags, the camera the metadata
 * processor found), accents and case folded, in `images.search`, under a GIN index. Triggers
 * on every table a word comes from keep it right, whoever writes. `unaccent` is one of the
 * contrib extensions PGlite ships and Debian's PostgreSQL has; it is created in `public`, so
 * that every schema of a database shares one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists unaccent with schema public`.execute(db);
  await sql`alter table images add column search tsvector not null default ''`.execute(db);
  await createSearchFunctions(db);
  await sql`
    create function search_query(text) returns tsquery
    language sql immutable parallel safe
    return to_tsquery('simple', public.unaccent('public.unaccent'::regdictionary, $1))
  `.execute(db);
  await sql`
    create function refresh_image_search() returns trigger language plpgsql as $$
    declare
      image uuid;
    begin
      if tg_table_name = 'images' then
        image := new.id;
      elsif tg_op = 'DELETE' then
        image := old.image_id;
      else
        image := new.image_id;
      end if;
      update images set search = image_search_words(image) where id = image;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger images_search after insert or update of name on images
    for each row execute function refresh_image_search()
  `.execute(db);
  await sql`
    create trigger image_tags_search after insert or update or delete on image_tags
    for each row execute function refresh_image_search()
  `.execute(db);
  await sql`
    create trigger processing_search after insert or update of result on processing
    for each row when (new.processor = 'metadata') execute function refresh_image_search()
  `.execute(db);
  await sql`update images set search = image_search_words(id)`.execute(db);
  await sql`create index images_search on images using gin (search)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger processing_search on processing`.execute(db);
  await sql`drop trigger image_tags_search on image_tags`.execute(db);
  await sql`drop trigger images_search on images`.execute(db);
  await sql`drop function refresh_image_search()`.execute(db);
  await sql`drop function image_search_words(uuid)`.execute(db);
  await sql`alter table images drop column search`.execute(db);
  await sql`drop function search_query(text)`.execute(db);
  await sql`drop function search_words(text)`.execute(db);
}

/** The words of a text and of an image, as this migration first made them (0007 replaces them). */
export async function createSearchFunctions(db: Kysely<unknown>): Promise<void> {
  // unaccent() is only stable (its dictionary could change); this use of it is fixed.
  await sql`
    create or replace function search_words(text) returns tsvector
    language sql immutable parallel safe
    return to_tsvector('simple', public.unaccent('public.unaccent'::regdictionary, coalesce($1, '')))
  `.execute(db);
  await sql`
    create or replace function image_search_words(image uuid) returns tsvector
    language sql stable
    return (
      select search_words(
        images.name || ' ' ||
        coalesce((select string_agg(name, ' ') from image_tags where image_id = images.id), '') || ' ' ||
        coalesce((
          select concat_ws(' ', result ->> 'make', result ->> 'model', result ->> 'lens')
          from processing where image_id = images.id and processor = 'metadata'
        ), '')
      )
      from images where images.id = image
    )
  `.execute(db);
}
