import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { hashPassword, type PasswordVerifier } from '../auth/passwords';
import { endSessions } from '../auth/sessions';
import type { PersonView, Role } from '@gallery/message-schema';
import type { Database } from '../db/schema';
import { BadRequestError, ConflictError, NotFoundError } from '../http/request-errors';

/** A user name: what people sign in with and see beside what someone added. */
export const username = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'a user name has no control characters');

/** As long as argon2 hashes quickly enough; at least 8 characters, as the admin's. */
export const password = z.string().min(8).max(200);

export type Person = PersonView;

const PERSON_COLUMNS = ['id', 'username', 'role', 'disabled_at', 'created_at'] as const;

const toPerson = (row: {
  id: string;
  username: string;
  role: Role;
  disabled_at: Date | null;
  created_at: Date;
}): Person => ({
  id: row.id,
  username: row.username,
  role: row.role,
  disabled: row.disabled_at !== null,
  createdAt: row.created_at.toISOString(),
});

export async function listPeople(db: Kysely<Database>): Promise<Person[]> {
  const rows = await db
    .selectFrom('users')
    .select(PERSON_COLUMNS)
    .orderBy(sql`lower(username)`)
    .orderBy('id')
    .execute();
  return rows.map(toPerson);
}

/** A new person; 409 when the name is taken, whatever its case. */
export async function addPerson(
  db: Kysely<Database> | Transaction<Database>,
  person: { username: string; password: string; role: Role },
): Promise<Person> {
  const passwordHash = await hashPassword(person.password);
  const row = await db
    .insertInto('users')
    .values({ username: person.username, password_hash: passwordHash, role: person.role })
    // The only unique key besides the id is the name, whatever its case.
    .onConflict((conflict) => conflict.doNothing())
    .returning(PERSON_COLUMNS)
    .executeTakeFirst();
  if (!row) throw new ConflictError(`the name ${person.username} is taken`);
  return toPerson(row);
}

/**
 * Changes someone's role or disables or enables them. The last active administrator can be
 * neither demoted nor disabled (409): the administrators' rows are locked first, so that two
 * administrators demoting each other at once cannot both succeed. Disabling ends their
 * sessions at once, event streams included.
 */
export async function changePerson(
  db: Kysely<Database>,
  id: string,
  change: { role?: Role; disabled?: boolean },
): Promise<Person> {
  if (change.role === undefined && change.disabled === undefined) {
    throw new BadRequestError('nothing to change');
  }
  return db.transaction().execute(async (trx) => {
    const admins = await trx
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .forUpdate()
      .execute();
    const before = await trx
      .selectFrom('users')
      .select(PERSON_COLUMNS)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError(`no person ${id}`);
    const activeAdmin = before.role === 'admin' && before.disabled_at === null;
    const staysActiveAdmin =
      (change.role ?? before.role) === 'admin' && !(change.disabled ?? before.disabled_at !== null);
    if (activeAdmin && !staysActiveAdmin && admins.length === 1) {
      throw new ConflictError('the last active administrator cannot be demoted or disabled');
    }
    const disabledAt =
      change.disabled === undefined
        ? before.disabled_at
        : change.disabled
          ? (before.disabled_at ?? new Date())
          : null;
    const after = await trx
      .updateTable('users')
      .set({ role: change.role ?? before.role, disabled_at: disabledAt })
      .where('id', '=', id)
      .returning(PERSON_COLUMNS)
      .executeTakeFirstOrThrow();
    if (change.disabled) await endSessions(trx, id);
    return toPerson(after);
  });
}

/** An administrator sets someone's password: every session of theirs ends. */
export async function resetPassword(
  db: Kysely<Database>,
  id: string,
  newPassword: string,
): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', id)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw new NotFoundError(`no person ${id}`);
    await endSessions(trx, id);
  });
}

/**
 * Someone changes their own password, the current one required (400 when wrong: they are
 * signed in, the request is what is wrong). Their other sessions end; this one stays.
 */
export async function changeOwnPassword(
  db: Kysely<Database>,
  verifyPassword: PasswordVerifier,
  session: { id: string; userId: string },
  { current, next }: { current: string; next: string },
): Promise<void> {
  const user = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', session.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, current))) {
    throw new BadRequestError('the current password is wrong');
  }
  const passwordHash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', session.userId)
      .execute();
    await endSessions(trx, session.userId, { except: session.id });
  });
}
