import { sql, type Kysely } from 'kysely';

const STATUS_CHECK = sql`in ('pending', 'done', 'failed')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('username', 'text', (col) => col.notNull().unique())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('images')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('content_type', 'text', (col) => col.notNull())
    .addColumn('size', 'bigint', (col) => col.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('placeholder', 'text')
    .addColumn('thumbnail_status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('pending')
        .check(sql`thumbnail_status ${STATUS_CHECK}`),
    )
    .addColumn('tags_status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('pending')
        .check(sql`tags_status ${STATUS_CHECK}`),
    )
    // Milliseconds, as in JavaScript: a list cursor then holds the exact value.
    .addColumn('created_at', 'timestamptz', (col) =>
      col.notNull().defaultTo(sql`date_trunc('milliseconds', now())`),
    )
    .execute();
  // The list query: newest first, ties broken by id, read as a keyset.
  await db.schema
    .createIndex('images_created_at_id')
    .on('images')
    .expression(sql`created_at desc, id desc`)
    .execute();

  await db.schema
    .createTable('image_tags')
    .addColumn('image_id', 'uuid', (col) =>
      col.notNull().references('images.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('confidence', 'double precision')
    .addColumn('source', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('image_tags_pk', ['image_id', 'name', 'source'])
    .execute();
  // The tag filter: which images carry a tag.
  await db.schema
    .createIndex('image_tags_name_image_id')
    .on('image_tags')
    .columns(['name', 'image_id'])
    .execute();

  await db.schema
    .createTable('thumbnails')
    .addColumn('image_id', 'uuid', (col) =>
      col.notNull().references('images.id').onDelete('cascade'),
    )
    .addColumn('width', 'integer', (col) => col.notNull())
    .addColumn('height', 'integer', (col) => col.notNull())
    .addColumn('format', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('size', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('thumbnails_pk', ['image_id', 'width', 'format'])
    .execute();

  await db.schema
    .createTable('processing_results')
    .addColumn('image_id', 'uuid', (col) =>
      col.notNull().references('images.id').onDelete('cascade'),
    )
    .addColumn('processor', 'text', (col) => col.notNull())
    .addColumn('event_id', 'uuid', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status ${STATUS_CHECK}`))
    .addColumn('error', 'text')
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('processing_results_pk', ['image_id', 'processor'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('published_at', 'timestamptz')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();
  // The relay reads only what is still pending, in id order.
  await db.schema
    .createIndex('outbox_pending')
    .on('outbox')
    .column('id')
    .where(sql.ref('published_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'outbox',
    'processing_results',
    'thumbnails',
    'image_tags',
    'images',
    'sessions',
    'users',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
