import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { verifyAgainstDecoy, verifyPassword } from './passwords';
import { createSession } from './sessions';

export interface LoginResult {
  username: string;
  token: string;
}

/** A new session for the right credentials; null otherwise, without saying which was wrong. */
export async function logIn(
  deps: { db: Kysely<Database>; sessionTtlHours: number },
  username: string,
  password: string,
): Promise<LoginResult | null> {
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash'])
    .where('username', '=', username)
    .executeTakeFirst();
  const valid = user
    ? await verifyPassword(user.password_hash, password)
    : await verifyAgainstDecoy(password);
  if (!user || !valid) return null;
  const token = await createSession(deps.db, user.id, deps.sessionTtlHours);
  return { username: user.username, token };
}
