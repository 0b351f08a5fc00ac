import { sql, type Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/schema';
import { hashPassword } from './passwords';

export const ADMIN_USERNAME = 'admin';

export type AdminSetup = { created: false } | { created: true; generatedPassword?: string };

/**
 * Creates the `admin` user, an administrator, on first start, with the given password or, when there is none,
 * a random one that the caller shows once. An existing admin is left as it is.
 */
export async function ensureAdminUser(
  db: Kysely<Database>,
  password: string | undefined,
): Promise<AdminSetup> {
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where(sql<string>`lower(username)`, '=', ADMIN_USERNAME)
    .executeTakeFirst();
  if (existing) return { created: false };
  if (password !== undefined) {
    return (await insertAdmin(db, password)) ? { created: true } : { created: false };
  }
  const generatedPassword = randomBytes(18).toString('base64url');
  return (await insertAdmin(db, generatedPassword))
    ? { created: true, generatedPassword }
    : { created: false };
}

/** False when another process created the admin meanwhile. */
async function insertAdmin(db: Kysely<Database>, password: string): Promise<boolean> {
  const inserted = await db
    .insertInto('users')
    .values({
      username: ADMIN_USERNAME,
      password_hash: await hashPassword(password),
      role: 'admin',
    })
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return inserted.numInsertedOrUpdatedRows !== 0n;
}
