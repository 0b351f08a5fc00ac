import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PasswordVerifier } from './passwords';
import type { SessionUser } from './sessions';

export interface LoginResult {
  user: SessionUser;
  /** Right credentials, but they may not sign in. */
  disabled: boolean;
}

export interface LoginDeps {
  db: Kysely<Database>;
  verifyPassword: PasswordVerifier;
  /** Verified against when the user is unknown, so that both cases take as long. */
  decoyHash: string;
}

/** The user of the right credentials; null otherwise, without saying which was wrong. */
export async function logIn(
  deps: LoginDeps,
  username: string,
  password: string,
): Promise<LoginResult | null> {
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'password_hash', 'disabled_at'])
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
  const valid = await deps.verifyPassword(user?.password_hash ?? deps.decoyHash, password);
  if (!user || !valid) return null;
  return {
    user: { id: user.id, username: user.username, role: user.role },
    disabled: user.disabled_at !== null,
  };
}
