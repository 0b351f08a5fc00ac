import { sql, type Kysely } from 'kysely';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPglite, type DatabaseHandle } from '../../src/db/connect';
import { migrateToLatest } from '../../src/db/migrate';
import type { Database } from '../../src/db/schema';

export interface TestDatabase extends DatabaseHandle {
  /** Empties every table, keeping the schema. */
  truncate(): Promise<void>;
}

export interface OpenOptions {
  /** False: an empty database, for a test that migrates it step by step. */
  migrated?: boolean;
}

/** Empties every table and starts the change feed's numbers over. */
export async function emptyTables(db: Kysely<Database>): Promise<void> {
  await sql`
    truncate users, sessions, invitations, images, image_tags, thumbnails, processing, outbox,
      changes, login_attempts, albums, album_images
  `.execute(db);
  await sql`update feed_state set last_seq = 0, pruned_through = 0`.execute(db);
}

/** A migrated PGlite in a fresh temporary directory; open once per test file. */
export async function openTestDatabase({
  migrated = true,
}: OpenOptions = {}): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'gallery-api-'));
  const handle = await connectPglite(join(dir, 'data', 'db'));
  if (migrated) await migrateToLatest(handle.db);
  return {
    ...handle,
    truncate: () => emptyTables(handle.db),
    async close() {
      await handle.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
