import type { Kysely } from 'kysely';
import { digest, newToken } from '../auth/sessions';
import type { Database, Role } from '../db/schema';
import { NotFoundError } from '../http/request-errors';
import { addPerson, type Person } from './people';

export interface Invitation {
  /** Shown once, to the administrator who made it; only its digest is stored. */
  token: string;
  role: Role;
  expiresAt: string;
}

export async function createInvitation(
  db: Kysely<Database>,
  { createdBy, role, hours }: { createdBy: string; role: Role; hours: number },
): Promise<Invitation> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + hours * 3_600_000);
  await db
    .insertInto('invitations')
    .values({ token_hash: digest(token), role, created_by: createdBy, expires_at: expiresAt })
    .execute();
  return { token, role, expiresAt: expiresAt.toISOString() };
}

/**
 * Someone joins with an invitation's token, their own name and password: once, before it
 * expires. An unknown, used or expired token is one answer (404): which of them is no
 * business of whoever holds it. The invitation is locked while the person is added, so a
 * link used twice at once makes one person.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  token: string,
  person: { username: string; password: string },
): Promise<Person> {
  return db.transaction().execute(async (trx) => {
    const invitation = await trx
      .selectFrom('invitations')
      .select(['token_hash', 'role'])
      .where('token_hash', '=', digest(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .forUpdate()
      .executeTakeFirst();
    if (!invitation) throw new NotFoundError('this invitation is unknown, used or expired');
    const added = await addPerson(trx, { ...person, role: invitation.role });
    await trx
      .updateTable('invitations')
      .set({ used_by: added.id, used_at: new Date() })
      .where('token_hash', '=', invitation.token_hash)
      .execute();
    return added;
  });
}
