import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PasswordVerifier } from './passwords';
import { createSession } from './sessions';

export interface LoginResult {
  username: string;
  token: string;
}

export interface LoginDeps {
  db: Kysely<Database>;
  sessionTtlHours: number;
  verifyPassword: PasswordVerifier;
  /** Verified against when the user is unknown, so that both cases take as long. */
  decoyHash: string;
}

/** A new session for the right credentials; null otherwise, without saying which was wrong. */
export async function logIn(
  deps: LoginDeps,
  username: string,
  password: string,
): Promise<LoginResult | null> {
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash'])
    .where('username', '=', username)
    .executeTakeFirst();
  const valid = await deps.verifyPassword(user?.password_hash ?? deps.decoyHash, password);
  if (!user || !valid) return null;
  const token = await createSession(deps.db, user.id, deps.sessionTtlHours);
  return { username: user.username, token };
}
