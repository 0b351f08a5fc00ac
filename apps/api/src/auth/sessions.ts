import type { Kysely, Transaction } from 'kysely';
import { createHash, randomBytes } from 'node:crypto';
import type { Role, SessionView } from '@gallery/message-schema';
import type { Database } from '../db/schema';
import { appendChange } from '../feed/append-change';

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
}

export interface FoundSession {
  /** The session's id, which its user sees; never its token. */
  id: string;
  user: SessionUser;
}

/** Only this digest is stored: a copy of the database holds no usable session or invitation. */
export const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new secret token: 32 random bytes, base64url. */
export const newToken = () => randomBytes(32).toString('base64url');

/** How stale `last_seen_at` may get: it is written at most this often per session. */
const LAST_SEEN_GRANULARITY_MS = 60_000;

/** Starts a session; returns its token for the cookie. */
export async function createSession(
  db: Kysely<Database>,
  userId: string,
  ttlHours: number,
  userAgent: string | null = null,
): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      token_hash: digest(token),
      user_id: userId,
      user_agent: userAgent?.slice(0, 500) ?? null,
      expires_at: new Date(Date.now() + ttlHours * 3_600_000),
    })
    .execute();
  return token;
}

/** The live session of a token and its user, or null: unknown, expired, or its user disabled. */
export async function findSession(
  db: Kysely<Database>,
  token: string,
): Promise<FoundSession | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as sessionId',
      'sessions.last_seen_at',
      'users.id',
      'users.username',
      'users.role',
    ])
    .where('sessions.token_hash', '=', digest(token))
    .where('sessions.expires_at', '>', new Date())
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (Date.now() - row.last_seen_at.getTime() > LAST_SEEN_GRANULARITY_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date() })
      .where('id', '=', row.sessionId)
      .execute();
  }
  return { id: row.sessionId, user: { id: row.id, username: row.username, role: row.role } };
}

/** A user's live sessions, most recently used first. */
export async function listSessions(
  db: Kysely<Database>,
  userId: string,
): Promise<Omit<SessionView, 'current'>[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'user_agent', 'created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    userAgent: row.user_agent,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  }));
}

/**
 * Ends sessions of one user (all of them, all but one, or just one), in the caller's
 * transaction, and tells every instance through the feed, whose streams of those sessions
 * then end at once. Returns how many ended.
 */
export async function endSessions(
  trx: Transaction<Database>,
  userId: string,
  which: { except?: string; only?: string } = {},
): Promise<number> {
  let query = trx.deleteFrom('sessions').where('user_id', '=', userId);
  if (which.except !== undefined) query = query.where('id', '!=', which.except);
  if (which.only !== undefined) query = query.where('id', '=', which.only);
  const ended = await query.returning('id').execute();
  if (ended.length > 0) {
    await appendChange(trx, {
      type: 'sessions.ended',
      data: { sessionIds: ended.map((row) => row.id) },
    });
  }
  return ended.length;
}

/** Deletes the expired sessions by `now`; returns how many went. */
export async function deleteExpiredSessions(
  db: Kysely<Database>,
  now = new Date(),
): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
