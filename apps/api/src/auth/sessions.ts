import type { Kysely } from 'kysely';
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/schema';

export interface SessionUser {
  id: string;
  username: string;
}

/** Only this digest is stored: a copy of the database holds no usable session. */
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session; returns its token (32 random bytes, base64url) for the cookie. */
export async function createSession(
  db: Kysely<Database>,
  userId: string,
  ttlHours: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      token_hash: digest(token),
      user_id: userId,
      expires_at: new Date(Date.now() + ttlHours * 3_600_000),
    })
    .execute();
  return token;
}

/** The user of a live session, or null for an unknown or expired token. */
export async function findSessionUser(
  db: Kysely<Database>,
  token: string,
): Promise<SessionUser | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username'])
    .where('sessions.token_hash', '=', digest(token))
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst();
  return row ?? null;
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', digest(token)).execute();
}

/** Deletes the sessions expired by `now`; returns how many went. */
export async function deleteExpiredSessions(
  db: Kysely<Database>,
  now = new Date(),
): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
