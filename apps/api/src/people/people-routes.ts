import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { requireAdmin, sessionOf } from '../auth/require-session';
import { invitationView, pendingInvitationView, personView, role } from '@gallery/message-schema';
import type { Database } from '../db/schema';
import { requireUuid } from '../http/request-errors';
import { createInvitation, listPendingInvitations, revokeInvitation } from './invitations';
import { addPerson, changePerson, listPeople, password, resetPassword, username } from './people';

export interface PeopleRoutesDeps {
  db: Kysely<Database>;
}

const failure = z.object({ message: z.string() });
const personParams = z.object({ id: z.string() });

const personId = (id: string) => requireUuid(id, `no person ${id}`);

/**
 * The people who share the gallery, for administrators only (403 to members, before any id
 * is looked at): list, add, change role, disable and enable, reset a password, invite, list
 * and revoke invitations.
 */
export function peopleRoutes(deps: PeopleRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', requireAdmin);

    app.get('/users', { schema: { response: { 200: z.array(personView) } } }, async () =>
      listPeople(deps.db),
    );

    app.post(
      '/users',
      {
        schema: {
          body: z.strictObject({ username, password, role: role.default('member') }),
          response: { 201: personView, 400: failure, 409: failure },
        },
      },
      async (request, reply) => reply.code(201).send(await addPerson(deps.db, request.body)),
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          params: personParams,
          body: z.strictObject({
            role: role.optional(),
            disabled: z.boolean().optional(),
          }),
          response: { 200: personView, 400: failure, 404: failure, 409: failure },
        },
      },
      async (request) => changePerson(deps.db, personId(request.params.id), request.body),
    );

    app.put(
      '/users/:id/password',
      {
        schema: {
          params: personParams,
          body: z.strictObject({ password }),
        },
      },
      async (request, reply) => {
        await resetPassword(deps.db, personId(request.params.id), request.body.password);
        return reply.code(204).send();
      },
    );

    app.post(
      '/invitations',
      {
        schema: {
          body: z.strictObject({
            role: role.default('member'),
            // A week at most: a link lying in a mailbox for months is a door left open.
            hours: z.number().int().min(1).max(168).default(72),
          }),
          response: {
            201: invitationView,
          },
        },
      },
      async (request, reply) => {
        const invitation = await createInvitation(deps.db, {
          createdBy: sessionOf(request).user.id,
          ...request.body,
        });
        return reply.code(201).send({ ...invitation, path: `/join#${invitation.token}` });
      },
    );

    app.get(
      '/invitations',
      {
        schema: {
          response: {
            200: z.array(pendingInvitationView),
          },
        },
      },
      async () => listPendingInvitations(deps.db),
    );

    app.delete(
      '/invitations/:id',
      { schema: { params: z.object({ id: z.string() }) } },
      async (request, reply) => {
        const { id } = request.params;
        await revokeInvitation(deps.db, requireUuid(id, `no invitation ${id} to revoke`));
        return reply.code(204).send();
      },
    );
  };
}
