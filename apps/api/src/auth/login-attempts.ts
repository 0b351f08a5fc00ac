import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** One key's attempts in its current fixed window, counted in the database for every instance. */
export interface AttemptWindow {
  key: string;
  /** Attempts in the window, this one included. */
  count: number;
  /** When the window ends; also identifies it, so that a give-back reaches only this window. */
  resetAt: Date;
  /** Until `resetAt`, by the database's clock: instances' clocks may differ. */
  retryAfterMs: number;
}

/**
 * Counts one attempt for `key` (`ip:<address>`, `user:<name>`) in a single statement, so
 * that concurrent attempts on any instance each get their own number. A window whose end
 * has passed starts over at 1. Its end is cut to milliseconds so that it comes back
 * unchanged through a JavaScript `Date` for `giveBackLoginAttempt`.
 */
export async function countLoginAttempt(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
): Promise<AttemptWindow> {
  const { rows } = await sql<{ count: number; reset_at: Date; retry_after_ms: number }>`
    insert into login_attempts as attempts (key, count, reset_at)
    values (
      ${key}, 1,
      date_trunc('milliseconds', now() + ${windowMs}::float8 * interval '1 millisecond')
    )
    on conflict (key) do update set
      count = case when attempts.reset_at <= now() then 1 else attempts.count + 1 end,
      reset_at = case
        when attempts.reset_at <= now() then excluded.reset_at
        else attempts.reset_at
      end
    returning
      count,
      reset_at,
      (extract(epoch from reset_at - now()) * 1000)::float8 as retry_after_ms
  `.execute(db);
  const row = rows[0];
  if (!row) throw new Error(`counting a login attempt for ${key} returned no row`);
  return { key, count: row.count, resetAt: row.reset_at, retryAfterMs: row.retry_after_ms };
}

/** Takes back an attempt counted in `window`; nothing when that window has since started over. */
export async function giveBackLoginAttempt(
  db: Kysely<Database>,
  window: AttemptWindow,
): Promise<void> {
  await db
    .updateTable('login_attempts')
    .set({ count: sql`count - 1` })
    .where('key', '=', window.key)
    .where('reset_at', '=', window.resetAt)
    .execute();
}

/** Deletes the windows that have ended; returns how many went. */
export async function deleteExpiredLoginAttempts(db: Kysely<Database>): Promise<number> {
  const result = await db
    .deleteFrom('login_attempts')
    .where('reset_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
