import type { Kysely } from 'kysely';
import { digest, newToken } from '../auth/sessions';
import type { InvitationView, PendingInvitationView, Role } from '@gallery/message-schema';
import type { Database } from '../db/schema';
import { NotFoundError } from '../http/request-errors';
import { addPerson, type Person } from './people';

/** Its token is shown once, to the administrator who made it; only its digest is stored. */
export type Invitation = Omit<InvitationView, 'path'>;

export async function createInvitation(
  db: Kysely<Database>,
  { createdBy, role, hours }: { createdBy: string; role: Role; hours: number },
): Promise<Invitation> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + hours * 3_600_000);
  const { id } = await db
    .insertInto('invitations')
    .values({ token_hash: digest(token), role, created_by: createdBy, expires_at: expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, token, role, expiresAt: expiresAt.toISOString() };
}

/** The invitations that can still be used, soonest to expire first. */
export async function listPendingInvitations(
  db: Kysely<Database>,
): Promise<PendingInvitationView[]> {
  const rows = await db
    .selectFrom('invitations')
    .innerJoin('users', 'users.id', 'invitations.created_by')
    .select([
      'invitations.id',
      'invitations.role',
      'users.username',
      'invitations.created_at',
      'invitations.expires_at',
    ])
    .where('invitations.used_at', 'is', null)
    .where('invitations.expires_at', '>', new Date())
    .orderBy('invitations.expires_at')
    .orderBy('invitations.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    role: row.role,
    createdBy: row.username,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  }));
}

/** Revokes an invitation not used yet: its link then answers like an unknown one. 404 otherwise. */
export async function revokeInvitation(db: Kysely<Database>, id: string): Promise<void> {
  const revoked = await db
    .deleteFrom('invitations')
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (revoked.numDeletedRows === 0n) throw new NotFoundError(`no invitation ${id} to revoke`);
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
