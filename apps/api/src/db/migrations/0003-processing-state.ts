import { sql, type Kysely } from 'kysely';

/**
 * Processing state in one table, keyed by image and processor, whatever the processors are:
 * a row once a processor has reported (its status, the reason of a failure, its result, the
 * event that produced it, when); no row while it is pending. Before, each processor had a
 * status column on `images` beside its row in `processing_results`, so a new processor
 * needed a migration of its own.
 *
 * The result is the report without its envelope (`status`, `imageId`, `eventId`, `error`);
 * a failure has none. A status column that said done or failed with no row beside it (which
 * the code never wrote: both changed in one transaction) still becomes a row, with no event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table processing_results rename to processing`.execute(db);
  await sql`alter table processing rename constraint processing_results_pk to processing_pk`.execute(
    db,
  );
  await sql`alter table processing add column result jsonb`.execute(db);
  await sql`
    update processing set result = payload - 'status' - 'imageId' - 'eventId' - 'error'
    where status = 'done'
  `.execute(db);
  await sql`alter table processing drop column payload`.execute(db);
  await sql`alter table processing alter column event_id drop not null`.execute(db);
  for (const [processor, column] of [
    ['thumbnail', 'thumbnail_status'],
    ['tags', 'tags_status'],
  ] as const) {
    await sql`
      insert into processing (image_id, processor, status, error)
      select images.id, ${processor}, images.${sql.ref(column)},
             case when images.${sql.ref(column)} = 'failed' then 'failed' end
      from images
      where images.${sql.ref(column)} <> 'pending'
        and not exists (
          select from processing
          where processing.image_id = images.id and processing.processor = ${processor}
        )
    `.execute(db);
  }
  await sql`alter table images drop column thumbnail_status, drop column tags_status`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['thumbnail_status', 'tags_status']) {
    await sql`
      alter table images add column ${sql.ref(column)} text not null default 'pending'
      check (${sql.ref(column)} in ('pending', 'done', 'failed'))
    `.execute(db);
  }
  await sql`
    update images set thumbnail_status = processing.status from processing
    where processing.image_id = images.id and processing.processor = 'thumbnail'
  `.execute(db);
  await sql`
    update images set tags_status = processing.status from processing
    where processing.image_id = images.id and processing.processor = 'tags'
  `.execute(db);
  // Rows of later processors and rows with no event have no place in the older shape.
  await sql`
    delete from processing
    where processor not in ('thumbnail', 'tags') or event_id is null
  `.execute(db);
  await sql`alter table processing alter column event_id set not null`.execute(db);
  await sql`alter table processing add column payload jsonb`.execute(db);
  await sql`
    update processing set payload = jsonb_build_object(
      'status', status, 'imageId', image_id, 'eventId', event_id
    ) || coalesce(result, '{}'::jsonb) || case
      when status = 'failed' then jsonb_build_object('error', error) else '{}'::jsonb end
  `.execute(db);
  await sql`alter table processing alter column payload set not null`.execute(db);
  await sql`alter table processing drop column result`.execute(db);
  await sql`alter table processing rename constraint processing_pk to processing_results_pk`.execute(
    db,
  );
  await sql`alter table processing rename to processing_results`.execute(db);
}
