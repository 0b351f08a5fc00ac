import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import pg from 'pg';
import { listenPglite, listenPostgres, type ListenHandlers, type Listener } from '../feed/listen';
import { usedByOneProcessOnly } from '../housekeeping/advisory-lock';
import { lockDirectory } from './directory-lock';
import type { Database } from './schema';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** `postgres` for a server, `pglite` for the embedded one. */
  kind: 'postgres' | 'pglite';
  /** Notifications on `channel`: on a connection of their own for a server. */
  listen(channel: string, handlers: ListenHandlers): Promise<Listener>;
  close(): Promise<void>;
}

/** PostgreSQL over a pool: the production database. */
export function connectPostgres(connectionString: string): DatabaseHandle {
  const pool = new pg.Pool({ connectionString });
  // An idle connection the server drops (a restart, an idle timeout, pg_terminate_backend)
  // leaves the pool, and the next query connects again; unhandled, its error would end the
  // process. Queries that fail say so themselves.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    listen: async (channel, handlers) => listenPostgres(connectionString, channel, handlers),
    close: () => db.destroy(),
  };
}

/**
 * PGlite persisted in `dataDir`, behind node-postgres's Pool, so the query layer and the
 * result types are those of production. PGlite has no lock on its directory, so this takes
 * one beside it: a second process fails to start instead of silently losing writes.
 */
export async function connectPglite(dataDir: string): Promise<DatabaseHandle> {
  await mkdir(dirname(dataDir), { recursive: true });
  const lock = lockDirectory(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, { extensions: { unaccent } });
  } catch (error) {
    lock.release();
    throw error;
  }
  const pool = new pg.Pool(createPgConfig(pglite) as pg.PoolConfig);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  usedByOneProcessOnly(db);
  return {
    db,
    kind: 'pglite',
    listen: (channel, handlers) => listenPglite(pglite, db, channel, handlers),
    async close() {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        lock.release();
      }
    },
  };
}
